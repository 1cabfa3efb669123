import type { RouterMiddleware } from '@koa/router';
import type { PageTools } from './PageTools.js';
import { showAccountMessage } from './showAccountMessage.js';
import { msg } from '../i18n/msg.js';

/** Only a path of the page itself is a place to come back to: never another page, let alone another site. */
const within = (home: string, path: string | undefined) => {
  const root = home.replace(/^(\/[^/]+).*$/, '$1');
  return path && (path === root || path.startsWith(`${root}/`) || path.startsWith(`${root}?`)) && !path.includes('//') ? path : undefined;
};

/**
 * GET <page>/callback: the provider's answer to the page's own sign-in (security info, the admin console); a
 * session of the page begins, and the browser goes back where it was going.
 */
export function finishAccountSignIn(t: PageTools): RouterMiddleware {
  const { home, messages: m } = t.page;
  const tryAgain = { href: home, label: msg('common.tryAgain') };
  return async (ctx) => {
    const q = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : '');
    const login = await t.signIn.take(ctx, q('state'));
    if (!login) {
      return showAccountMessage(ctx, 400, msg(`${m}.signIn.expired.heading`), msg(`${m}.signIn.expired.message`), {
        href: home,
        label: msg(`${m}.goTo`),
      });
    }
    if (q('error')) {
      const cancelled = q('error') === 'access_denied';
      return showAccountMessage(
        ctx,
        cancelled ? 403 : 400,
        cancelled ? msg(`${m}.signIn.cancelled.heading`) : msg(`${m}.signIn.failed.heading`),
        cancelled ? msg(`${m}.signIn.cancelled.message`) : msg(`${m}.signIn.failed.message`),
        tryAgain,
      );
    }
    const signedIn = await t.signIn.redeem(login, q('code'), q('iss'));
    if (!signedIn) {
      t.log.warn(`${t.page.client}.signin.refused`, { reason: 'code not redeemable' });
      return showAccountMessage(ctx, 400, msg(`${m}.signIn.failed.heading`), msg(`${m}.signIn.failed.message`), tryAgain);
    }
    const previous = t.cookies.get(ctx, t.cookies.session);
    if (previous) await t.sessions.end(previous);
    const s = await t.sessions.create(signedIn);
    t.cookies.set(ctx, t.cookies.session, s.id, s.expiresAt - Date.now());
    t.log.info(`${t.page.client}.signin`, { accountId: s.accountId, amr: s.amr });
    const back = within(home, login.returnTo) ?? home;
    ctx.status = 303;
    // After signing in again, the page says so (a fixed notice), and the change can be repeated.
    ctx.redirect(login.reason === 'reauth' ? `${back.split('?')[0]}?done=reauth` : back);
  };
}
