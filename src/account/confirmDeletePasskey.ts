import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import type { AccountTools } from './AccountTools.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showSecurityInfo } from './showSecurityInfo.js';

/**
 * GET /account/security-info/passkeys/:id/delete: the question before a passkey is deleted. The list's Delete
 * leads here, and only this page's form posts the deletion, so it takes a second, deliberate step, without script.
 */
export function confirmDeletePasskey(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    const c = await t.gate.visit(ctx);
    if (!c) return;
    const passkey = await t.deps.passkeys.get(c.user.id, ctx.params.id!);
    if (!passkey) return showSecurityInfo(ctx, t, c.s, c.user, { error: msg('securityInfo.confirm.passkey.gone'), status: 404 });
    await renderView(ctx, 'confirm-delete', {
      title: msg('securityInfo.confirm.passkey.title'),
      username: c.user.userPrincipalName,
      heading: msg('securityInfo.confirm.passkey.heading', { name: passkey.name }),
      message: msg('securityInfo.confirm.passkey.message'),
      action: `${SECURITY_INFO_PATH}/passkeys/${encodeURIComponent(passkey.id)}/delete`,
      csrf: c.s.csrf,
      confirmLabel: msg('securityInfo.confirm.passkey.button', { name: passkey.name }),
      cancelHref: SECURITY_INFO_PATH,
    });
  };
}
