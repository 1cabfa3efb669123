import type { RouterMiddleware } from '@koa/router';
import { auditRecords } from '../audit/auditRecords.js';
import { NotFoundError } from '../errors.js';
import { afterMethodDeleted } from './afterMethodDeleted.js';
import type { AccountTools } from './AccountTools.js';
import { showSecurityInfo } from './showSecurityInfo.js';
import { msg } from '../i18n/msg.js';

/** POST /account/security-info/tap/:id/delete: delete the user's TAP, and with it what it signed in. */
export function deleteTap(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    const c = await t.gate.change(ctx);
    if (!c) return;
    try {
      // Revokes every session obtained with the TAP if it was still usable: perhaps the one this page rests on.
      await t.deps.taps.delete(c.user, ctx.params.id!, auditRecords.selfContext(c.user, ctx.ip));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      return showSecurityInfo(ctx, t, c.s, c.user, { error: msg('securityInfo.error.tapGone'), status: 404 });
    }
    t.deps.log.info('account.tap.deleted', { accountId: c.user.id });
    await afterMethodDeleted(
      ctx,
      t,
      c.s.id,
      'tap-deleted',
      msg('securityInfo.signedOut.tap.heading'),
      msg('securityInfo.signedOut.tap.message'),
    );
  };
}
