import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import type { AccountTools } from './AccountTools.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showSecurityInfo } from './showSecurityInfo.js';

/** GET /account/security-info/tap/:id/delete: the question before the TAP is deleted (as confirmDeletePasskey). */
export function confirmDeleteTap(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    const c = await t.gate.visit(ctx);
    if (!c) return;
    const tap = await t.deps.taps.get(c.user);
    if (!tap || tap.id !== ctx.params.id) return showSecurityInfo(ctx, t, c.s, c.user, { error: msg('securityInfo.confirm.tap.gone'), status: 404 });
    await renderView(ctx, 'confirm-delete', {
      title: msg('securityInfo.confirm.tap.title'),
      username: c.user.userPrincipalName,
      heading: msg('securityInfo.confirm.tap.heading'),
      message: msg('securityInfo.confirm.tap.message'),
      action: `${SECURITY_INFO_PATH}/tap/${encodeURIComponent(tap.id)}/delete`,
      csrf: c.s.csrf,
      confirmLabel: msg('securityInfo.confirm.tap.button'),
      cancelHref: SECURITY_INFO_PATH,
    });
  };
}
