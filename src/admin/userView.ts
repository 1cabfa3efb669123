import type { Context } from 'koa';
import type { User } from '../directory/User.js';
import type { AdminAction, AdminUserView } from '../http/views/AdminUserView.js';
import type { Text } from '../i18n/Text.js';
import { msg } from '../i18n/msg.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';
import { refusalOf } from './refusalOf.js';
import { ROLE_NAMES } from './ROLE_NAMES.js';
import { userPath } from './userPath.js';

/** The AAGUID a passkey reports when its authenticator does not say which model it is. */
const NO_AAGUID = '00000000-0000-0000-0000-000000000000';

/** A user's page: who they are, their methods, and the buttons the visitor's role allows on each. */
export async function userView(ctx: Context, t: AdminTools, v: AdminVisit, user: User, error?: Text): Promise<AdminUserView> {
  const { taps, passkeys, directory } = t.deps;
  const base = userPath(user);
  const may = (action: Parameters<typeof refusalOf>[1]) => !refusalOf(v.caller, action, user);
  const button = (action: Parameters<typeof refusalOf>[1], path: string, label: Text): AdminAction | null => (may(action) ? { action: `${base}${path}`, label } : null);
  const methodsRefusal = refusalOf(v.caller, 'viewMethods', user) ?? null;
  const [tap, stored, keys] = methodsRefusal ? [undefined, undefined, []] : await Promise.all([taps.get(user), taps.getStored(user), passkeys.list(user.id)]);
  let tapView: AdminUserView['tap'] = null;
  if (tap && stored) {
    const pending = tap.methodUsabilityReason === 'PendingApproval';
    const requester = pending && stored.requestedBy ? await directory.findById(stored.requestedBy) : undefined;
    const mine = stored.requestedBy === v.user.id;
    const tapPath = `/tap/${encodeURIComponent(tap.id)}`;
    tapView = {
      start: stored.start,
      end: stored.end,
      once: tap.isUsableOnce,
      usable: tap.isUsable,
      status: msg(`admin.tap.status.${tap.methodUsabilityReason}`),
      failures: tap['oidcTap.failureCount'],
      locked: tap['oidcTap.isLockedOut'],
      requestedBy: pending ? (requester?.userPrincipalName ?? stored.requestedBy) : null,
      delete: button('deleteTap', `${tapPath}/delete`, msg('admin.tap.delete')),
      unlock: tap['oidcTap.isLockedOut'] || tap['oidcTap.failureCount'] > 0 ? button('unlockTap', `${tapPath}/unlock`, msg('admin.tap.unlock')) : null,
      approve: pending && !mine ? button('approveTap', `${tapPath}/approve`, msg('admin.tap.approve')) : null,
      approveRefusal: pending && mine ? msg('admin.tap.ownRequest') : null,
    };
  }
  const issueRefusal = refusalOf(v.caller, 'issueTap', user) ?? null;
  return {
    title: { verbatim: user.displayName },
    nav: adminNav(ctx, v, error),
    user: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      userType: user.userType,
      enabled: user.accountEnabled !== false,
      created: Date.parse(user.createdDateTime),
      roles: user.roles.map((r) => ROLE_NAMES[r]),
      groups: user.groups,
    },
    methodsRefusal,
    password: user.passwordHash !== undefined,
    tap: tapView,
    passkeys: keys.map((p) => ({
      name: p.name,
      // No AAGUID lookup in this build: the model is named by its AAGUID, which the vendor's metadata resolves.
      model: p.aaguid === NO_AAGUID ? '' : p.aaguid,
      synced: p.deviceType === 'multiDevice',
      created: p.createdAt,
      lastUsed: p.lastUsedAt ?? null,
      delete: button('deletePasskey', `/passkeys/${encodeURIComponent(p.id)}/delete`, msg('admin.passkey.delete', { name: p.name })),
    })),
    issueHref: issueRefusal ? null : `${base}/issue`,
    issueRefusal: methodsRefusal ? null : issueRefusal,
    revoke: button('revokeSessions', '/revoke-sessions', msg('admin.revokeSessions')),
    // A role that may change no user's methods at all (a reader): say so once, rather than each refusal.
    readOnly: !!refusalOf(v.caller, 'issueTap') && !!refusalOf(v.caller, 'revokeSessions'),
    editHref: directory.can('update') && !refusalOf(v.caller, 'editUser', user) ? `${base}/edit` : null,
  };
}
