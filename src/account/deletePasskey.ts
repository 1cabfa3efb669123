import type { RouterMiddleware } from '@koa/router';
import { auditRecords } from '../audit/auditRecords.js';
import { afterMethodDeleted } from './afterMethodDeleted.js';
import type { AccountTools } from './AccountTools.js';
import { LAST_METHOD } from './LAST_METHOD.js';
import { showSecurityInfo } from './showSecurityInfo.js';
import { msg } from '../i18n/msg.js';

/** POST /account/security-info/passkeys/:id/delete: delete one of the user's passkeys, never their last way in, and with it what it signed in. */
export function deletePasskey(t: AccountTools): RouterMiddleware {
  const { passkeys, taps } = t.deps;
  return async (ctx) => {
    const c = await t.gate.change(ctx);
    if (!c) return;
    const id = ctx.params.id!;
    const list = await passkeys.list(c.user.id);
    const passkey = list.find((p) => p.id === id);
    if (!passkey) return showSecurityInfo(ctx, t, c.s, c.user, { error: msg('securityInfo.error.passkeyGone'), status: 404 });
    // A password or a usable TAP is a way back in (to register a new passkey); without one, deleting the last
    // passkey locks the user out until an administrator helps. The count and the deletion are one atomic step.
    const keepLast = c.user.passwordHash === undefined && !(await taps.usableTap(c.user));
    const deleted = await passkeys.delete(c.user, passkey, auditRecords.selfContext(c.user, ctx.ip), { keepLast });
    if (deleted === 'last') return showSecurityInfo(ctx, t, c.s, c.user, { error: LAST_METHOD, status: 409 });
    // Deleting a passkey revokes every session obtained with it: perhaps the one this page rests on.
    await afterMethodDeleted(
      ctx,
      t,
      c.s.id,
      'deleted',
      msg('securityInfo.signedOut.passkey.heading'),
      msg('securityInfo.signedOut.passkey.message'),
    );
  };
}
