import type Provider from 'oidc-provider';
import { renderView } from '../http/renderView.js';

/** oidc-provider's page (lib/response_modes/form_post.js): its title marks it, its fields are escaped by htmlSafe. */
const MARK = '<title>Submitting Callback</title>';
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/**
 * oidc-provider writes one page of its own wherever a browser must post something on (the `form_post` response
 * mode, the device flow's complete verification URI, the sign-out without a session): English, no `lang`, an
 * inline script allowed by a hash in the CSP. It is built inside the provider with no hook to replace it, so this
 * takes the finished page apart (the action and hidden fields) and answers ours instead: the layout, the person's
 * language, the policy as it was (no hash), a script file that posts the form, and a visible Continue button.
 */
export function ownFormPostPages(provider: Provider): void {
  provider.use(async (ctx, next) => {
    const csp = ctx.response.get('Content-Security-Policy');
    await next();
    if (typeof ctx.body !== 'string' || !ctx.response.is('html') || !ctx.body.startsWith('<!DOCTYPE html>') || !ctx.body.includes(MARK)) return;
    const page = ctx.body;
    const action = /<form method="post" action="([^"]*)">/.exec(page)?.[1];
    if (action === undefined) return;
    const fields = [...page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)].map(([, name, value]): [string, string] => [unescape(name!), unescape(value!)]);
    if (csp) ctx.set('Content-Security-Policy', csp);
    await renderView(ctx, 'auto-submit', { action: unescape(action), fields }, ctx.status);
  });
}
