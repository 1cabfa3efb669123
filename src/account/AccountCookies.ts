import type { Context } from 'koa';
import { INTERNAL_CLIENTS } from '../provider/INTERNAL_CLIENTS.js';
import type { SignInPage } from './SignInPage.js';

/**
 * A page's cookies (`page.cookies`): its session and the sign-in in progress (bound to the browser that started
 * it), both scoped to the page's path, and the application to go back to. Set by hand: Koa refuses a Secure cookie on a plain connection, which is what a TLS-terminating proxy gives.
 */
export class AccountCookies {
  static readonly SESSION = 'oidc-tap.account';
  static readonly LOGIN = 'oidc-tap.account-login';
  /** The application the page was opened from (its client id), for the page's way back to it. */
  static readonly RETURN = 'oidc-tap.account-return';
  static readonly RETURN_MS = 86_400_000;
  /** As long as a sign-in may take (AccountSessions keeps it as long). */
  static readonly LOGIN_MS = 600_000;

  private readonly attrs: string;
  private readonly path: string;
  readonly session: string;
  readonly login: string;

  /** `secure` when the issuer is https, whatever the connection from the proxy is. */
  constructor(secure: boolean, page: SignInPage) {
    this.attrs = `HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    this.path = INTERNAL_CLIENTS[page.client].path;
    this.session = page.cookies.session;
    this.login = page.cookies.login;
  }

  get(ctx: Context, name: string): string | undefined {
    return ctx.cookies.get(name, { signed: false });
  }

  set(ctx: Context, name: string, value: string, maxAgeMs: number): void {
    ctx.append('Set-Cookie', `${name}=${value}; Path=${this.path}; Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}; ${this.attrs}`);
  }

  clear(ctx: Context, name: string): void {
    ctx.append('Set-Cookie', `${name}=; Path=${this.path}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${this.attrs}`);
  }
}
