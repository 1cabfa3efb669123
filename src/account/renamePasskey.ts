import type { RouterMiddleware } from '@koa/router';
import { auditRecords } from '../audit/auditRecords.js';
import type { AccountTools } from './AccountTools.js';
import { redirectWithNotice } from './redirectWithNotice.js';
import { showSecurityInfo } from './showSecurityInfo.js';
import { msg } from '../i18n/msg.js';

/** POST /account/security-info/passkeys/:id/rename: give one of the user's passkeys a new name. */
export function renamePasskey(t: AccountTools): RouterMiddleware {
  const { passkeys } = t.deps;
  return async (ctx) => {
    const c = await t.gate.change(ctx);
    if (!c) return;
    const id = ctx.params.id!;
    const passkey = await passkeys.get(c.user.id, id);
    if (!passkey) return showSecurityInfo(ctx, t, c.s, c.user, { error: msg('securityInfo.error.passkeyGone'), status: 404 });
    if (!(await passkeys.rename(c.user, passkey, c.form.name ?? '', auditRecords.selfContext(c.user, ctx.ip)))) {
      return showSecurityInfo(ctx, t, c.s, c.user, { error: msg('securityInfo.error.nameEmpty'), status: 400 });
    }
    redirectWithNotice(ctx, 'renamed');
  };
}
