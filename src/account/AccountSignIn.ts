import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { accountRedirectUri } from '../provider/accountClient.js';
import { INTERNAL_CLIENTS } from '../provider/INTERNAL_CLIENTS.js';
import { AccountCookies } from './AccountCookies.js';
import type { AccountLogin } from './AccountLogin.js';
import type { AccountSessions } from './AccountSessions.js';
import { redeemAccountCode, type RedeemedSignIn } from './redeemAccountCode.js';
import type { SignInPage } from './SignInPage.js';

/**
 * A page (security info, the admin console) as an OpenID Connect client of this same provider: authorization
 * code + PKCE, with the state bound to the browser that set off (a cookie), and the code redeemed in-process.
 */
export class AccountSignIn {
  private readonly redirectUri: string;
  private readonly clientId: string;

  constructor(
    private readonly provider: Provider,
    /** The issuer without a trailing slash. */
    private readonly issuer: string,
    private readonly sessions: AccountSessions,
    private readonly cookies: AccountCookies,
    page: SignInPage,
  ) {
    this.redirectUri = accountRedirectUri(issuer, page.client);
    this.clientId = INTERNAL_CLIENTS[page.client].id;
  }

  /**
   * Send the browser to the provider; `reauth` makes it ask again even when single sign-on would not. `returnTo`:
   * the page's own path to come back to (else its home).
   */
  async start(ctx: Context, reason: AccountLogin['reason'], loginHint?: string, returnTo?: string): Promise<void> {
    const { state, codeChallenge } = await this.sessions.beginLogin(reason, returnTo);
    this.cookies.set(ctx, this.cookies.login, state, AccountCookies.LOGIN_MS);
    const params = new URLSearchParams({
      client_id: this.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: this.redirectUri,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state,
    });
    if (reason === 'reauth') {
      params.set('prompt', 'login');
      if (loginHint) params.set('login_hint', loginHint);
    }
    ctx.status = 303;
    ctx.redirect(`${this.issuer}/auth?${params.toString()}`);
  }

  /**
   * The sign-in this callback ends, once, and only in the browser that started it (its cookie is cleared here):
   * a sign-in started elsewhere is not taken.
   */
  async take(ctx: Context, state: string): Promise<AccountLogin | undefined> {
    const bound = this.cookies.get(ctx, this.cookies.login);
    if (bound) this.cookies.clear(ctx, this.cookies.login);
    return state && bound === state ? await this.sessions.takeLogin(state) : undefined;
  }

  /** Who signed in, from the code the provider sent back; undefined if it came from another issuer or is spent. */
  async redeem(login: AccountLogin, code: string, iss: string): Promise<RedeemedSignIn | undefined> {
    return !iss || iss === this.provider.issuer ? await redeemAccountCode(this.provider, code, login.verifier, this.redirectUri, this.clientId) : undefined;
  }
}
