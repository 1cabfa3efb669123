import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import type { AccountTools } from './AccountTools.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showSecurityInfo } from './showSecurityInfo.js';

/** GET /account/security-info/tap/:id/delete: the question before the TAP is deleted (as confirmDeletePasskey). */
export function confirmDeleteTap(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    const c = await t.gate.visit(ctx);
    if (!c) return;
    const tap = await t.deps.taps.get(c.user);
    if (!tap || tap.id !== ctx.params.id) return showSecurityInfo(ctx, t, c.s, c.user, { error: 'That Temporary Access Pass no longer exists.', status: 404 });
    await renderView(ctx, 'confirm-delete', {
      title: 'Delete Temporary Access Pass',
      username: c.user.userPrincipalName,
      heading: 'Delete your Temporary Access Pass?',
      message: 'It can no longer be used to sign in. If you signed in with it, you will be signed out.',
      action: `${SECURITY_INFO_PATH}/tap/${encodeURIComponent(tap.id)}/delete`,
      csrf: c.s.csrf,
      confirmLabel: 'Delete Temporary Access Pass',
      cancelHref: SECURITY_INFO_PATH,
    });
  };
}
