import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';

/** The name a page shows for the client the request came from, if any. */
const clientNameOf = (ctx: KoaContextWithOIDC) => ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? null;

/**
 * The page that asks a signed-in user to confirm signing out. `form` is oidc-provider's (its action and one-time
 * xsrf value); plain buttons submit it, so it works under the pages' Content-Security-Policy without script.
 */
export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  await renderView(ctx, 'logout', { form, clientName: clientNameOf(ctx) });
}

/**
 * The page after the logout form, when the client gave no post_logout_redirect_uri. "No, stay signed in" also
 * leads here (signed out of the asking client only, or of nothing), so the page says what actually happened.
 */
export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const client = clientNameOf(ctx);
  const stillSignedIn = Boolean((await ctx.oidc.provider.Session.get(ctx)).accountId);
  const [heading, message] = !stillSignedIn
    ? [msg('postLogout.signedOut.heading'), client ? msg('postLogout.signedOut.fromClient', { client }) : msg('postLogout.closeWindow')]
    : client
      ? [msg('postLogout.leftClient.heading', { client }), msg('postLogout.leftClient.message')]
      : [msg('postLogout.unchanged.heading'), msg('postLogout.unchanged.message')];
  await renderView(ctx, 'message', { title: msg('logout.title'), heading, message, link: null });
}
