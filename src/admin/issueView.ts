import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { User } from '../directory/User.js';
import type { AdminIssueView } from '../http/views/AdminIssueView.js';
import type { Text } from '../i18n/Text.js';
import { msg } from '../i18n/msg.js';
import type { AuditContext } from '../audit/AuditContext.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';
import { userPath } from './userPath.js';

/** The issue page: its form (with the policy's range, the values given, a fresh single-use token) or the passcode issued. */
export async function issueView(
  ctx: Context,
  t: AdminTools,
  v: AdminVisit,
  user: User,
  by: AuditContext,
  extra: { values?: AdminIssueView['values']; error?: Text; issued?: AdminIssueView['issued'] } = {},
): Promise<AdminIssueView> {
  const { taps } = t.deps;
  const [policy, current] = await Promise.all([taps.getPolicy(), taps.getStored(user)]);
  return {
    title: msg('admin.issue.title'),
    nav: adminNav(ctx, v, extra.error),
    user: { displayName: user.displayName, userPrincipalName: user.userPrincipalName, href: userPath(user) },
    action: `${userPath(user)}/issue`,
    nonce: randomBytes(18).toString('base64url'),
    policy: {
      min: policy.minimumLifetimeInMinutes,
      max: policy.maximumLifetimeInMinutes,
      default: policy.defaultLifetimeInMinutes,
      onceRequired: policy.isUsableOnce,
      onceDefault: policy.isUsableOnce,
    },
    values: extra.values ?? { lifetime: String(policy.defaultLifetimeInMinutes), start: '', once: policy.isUsableOnce },
    // Once issued, the TAP on record is the new one: nothing left to warn about.
    replaces: !extra.issued && current !== undefined,
    needsApproval: taps.needsApproval(user, by),
    issued: extra.issued ?? null,
  };
}
