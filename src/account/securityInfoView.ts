import type { User } from '../directory/User.js';
import type { SecurityInfoView } from '../http/views/SecurityInfoView.js';
import type { AccountSession } from './AccountSession.js';
import type { AccountTools } from './AccountTools.js';
import type { Text } from '../i18n/Text.js';
import { msg } from '../i18n/msg.js';
import { authenticatorModel } from '../passkeys/authenticatorModel.js';
import { registrationPurpose } from './registrationPurpose.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { tapView } from './tapView.js';

/** The security-info page of this session's user: their passkeys, password and TAP, and what they may do. */
export async function securityInfoView(
  t: AccountTools,
  s: AccountSession,
  user: User,
  said: { notice?: Text | undefined; error?: Text | undefined },
  back: SecurityInfoView['back'] = null,
): Promise<SecurityInfoView> {
  const { passkeys, taps } = t.deps;
  const [list, tap, usable] = await Promise.all([passkeys.list(user.id), taps.get(user), taps.usableTap(user)]);
  const fresh = t.sessions.isFresh(s);
  const base = `${SECURITY_INFO_PATH}/passkeys`;
  return {
    title: msg('securityInfo.title'),
    username: user.userPrincipalName,
    displayName: user.displayName,
    csrf: s.csrf,
    notice: said.notice ?? null,
    error: said.error ?? null,
    passkeys: list.map((p) => {
      // Named after its model when registered without a name; a renamed one (or an older one) shows it beside.
      const model = authenticatorModel(p.aaguid);
      return {
        name: p.name,
        model: model && model !== p.name ? model : null,
        synced: p.deviceType === 'multiDevice',
        addedAt: p.createdAt,
        lastUsedAt: p.lastUsedAt ?? null,
        renameAction: `${base}/${encodeURIComponent(p.id)}/rename`,
        deleteAction: `${base}/${encodeURIComponent(p.id)}/delete`,
      };
    }),
    password: user.passwordHash !== undefined,
    tap: tap ? tapView(tap) : null,
    // Onboarding: the TAP is the only way in, and it will end.
    banner: list.length === 0 && user.passwordHash === undefined && usable !== undefined,
    addAction: base,
    back,
    reauthMinutes: Math.round(t.deps.reauthenticationMaxAgeSeconds / 60),
    // A stale sign-in gets a plain button that leads to signing in again, not a passkey made for nothing.
    options: fresh ? JSON.stringify(await passkeys.registrationOptions(user, registrationPurpose(s))) : null,
  };
}
