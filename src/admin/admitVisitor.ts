import type { Context } from 'koa';
import { SECURITY_INFO_PATH } from '../account/SECURITY_INFO_PATH.js';
import { showAccountMessage } from '../account/showAccountMessage.js';
import { consoleCaller } from '../graph/consoleCaller.js';
import { msg } from '../i18n/msg.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';

/**
 * Every console request: signed in (else off to sign in, and back), and holding an administrative role (else a
 * clear refusal, with the way to one's own security info instead). A change (`returnTo` given: where to come
 * back after signing in again) also passes the CSRF and freshness checks of security info, through the same gate.
 */
export async function admitVisitor(t: AdminTools, ctx: Context, returnTo?: string): Promise<AdminVisit | undefined> {
  const c = returnTo === undefined ? await t.gate.visit(ctx) : await t.gate.change(ctx, returnTo);
  if (!c) return undefined;
  if (c.user.roles.length === 0) {
    t.log.warn('admin.refused', { reason: 'no administrative role', accountId: c.user.id, path: ctx.path });
    await showAccountMessage(ctx, 403, msg('admin.refused.heading'), msg('admin.refused.noRole'), { href: SECURITY_INFO_PATH, label: msg('securityInfo.goTo') });
    return undefined;
  }
  return { s: c.s, user: c.user, caller: consoleCaller(c.user), form: 'form' in c ? (c.form as Record<string, string>) : {} };
}
