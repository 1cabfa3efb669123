import type { RouterMiddleware } from '@koa/router';
import { AccountCookies } from './AccountCookies.js';
import type { AccountTools } from './AccountTools.js';
import { redirectWithNotice } from './redirectWithNotice.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import { showAccountMessage } from './showAccountMessage.js';
import { msg } from '../i18n/msg.js';

/** GET /account/callback: the provider's answer to the page's own sign-in; a session of the page begins. */
export function finishAccountSignIn(t: AccountTools): RouterMiddleware {
  const tryAgain = { href: SECURITY_INFO_PATH, label: msg('common.tryAgain') };
  return async (ctx) => {
    const q = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : '');
    const login = await t.signIn.take(ctx, q('state'));
    if (!login) {
      return showAccountMessage(ctx, 400, msg('securityInfo.signIn.expired.heading'), msg('securityInfo.signIn.expired.message'), {
        href: SECURITY_INFO_PATH,
        label: msg('securityInfo.goTo'),
      });
    }
    if (q('error')) {
      const cancelled = q('error') === 'access_denied';
      return showAccountMessage(
        ctx,
        cancelled ? 403 : 400,
        cancelled ? msg('securityInfo.signIn.cancelled.heading') : msg('securityInfo.signIn.failed.heading'),
        cancelled ? msg('securityInfo.signIn.cancelled.message') : msg('securityInfo.signIn.failed.message'),
        tryAgain,
      );
    }
    const signedIn = await t.signIn.redeem(login, q('code'), q('iss'));
    if (!signedIn) {
      t.deps.log.warn('account.signin.refused', { reason: 'code not redeemable' });
      return showAccountMessage(ctx, 400, msg('securityInfo.signIn.failed.heading'), msg('securityInfo.signIn.failed.message'), tryAgain);
    }
    const previous = t.cookies.get(ctx, AccountCookies.SESSION);
    if (previous) await t.sessions.end(previous);
    const s = await t.sessions.create(signedIn);
    t.cookies.set(ctx, AccountCookies.SESSION, s.id, s.expiresAt - Date.now());
    t.deps.log.info('account.signin', { accountId: s.accountId, amr: s.amr });
    if (login.reason === 'reauth') return redirectWithNotice(ctx, 'reauth');
    ctx.status = 303;
    ctx.redirect(SECURITY_INFO_PATH);
  };
}
