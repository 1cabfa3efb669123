import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderView } from '../http/renderView.js';

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
    ? ['You are signed out', client ? `You have signed out of ${client}. You can close this window.` : 'You can close this window.']
    : client
      ? [`You have signed out of ${client}`, 'You are still signed in to the other applications you use here.']
      : ['You are still signed in', 'Nothing was changed. You can close this window.'];
  await renderView(ctx, 'message', { title: 'Sign out', heading, message, link: null });
}
