import type { RouterMiddleware } from '@koa/router';
import { auditRecords } from '../audit/auditRecords.js';
import type { AccountTools } from './AccountTools.js';
import { redirectWithNotice } from './redirectWithNotice.js';
import { registrationPurpose } from './registrationPurpose.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showSecurityInfo } from './showSecurityInfo.js';

/** POST /account/security-info/passkeys: register a new passkey of the signed-in user. */
export function addPasskey(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    const c = await t.gate.change(ctx);
    if (!c) return;
    // The plain button of a page shown before signing in again: now the ceremony can start.
    if (!c.form.response) return ctx.redirect(SECURITY_INFO_PATH);
    const result = await t.deps.passkeys.register(c.user, registrationPurpose(c.s), c.form.response, c.form.name, auditRecords.selfContext(c.user, ctx.ip));
    if (!result.ok) return showSecurityInfo(ctx, t, c.s, c.user, { error: result.error, status: 400 });
    redirectWithNotice(ctx, 'added');
  };
}
