import type { Context } from 'koa';
import type { Users } from '../directory/Users.js';
import type { User } from '../directory/User.js';
import { readForm } from '../http/readForm.js';
import type { Logger } from '../log/Logger.js';
import type { AccountCookies } from './AccountCookies.js';
import type { AccountSession } from './AccountSession.js';
import type { AccountSessions } from './AccountSessions.js';
import type { AccountSignIn } from './AccountSignIn.js';
import { csrfMatches } from './csrfMatches.js';
import type { SignInPage } from './SignInPage.js';
import { showAccountMessage } from './showAccountMessage.js';
import { msg } from '../i18n/msg.js';

/** A visit with its session and user. */
export interface AccountVisit {
  s: AccountSession;
  user: User;
}

/** What every request of a signed-in page passes: a session (else sign in), and for a change, CSRF and freshness. */
export class AccountGate {
  constructor(
    private readonly directory: Users,
    private readonly sessions: AccountSessions,
    private readonly cookies: AccountCookies,
    private readonly signIn: AccountSignIn,
    private readonly log: Logger,
    private readonly page: SignInPage,
  ) {}

  /**
   * The visit's session and user, or undefined once the browser has been sent to sign in (and back to the page
   * it asked for, when that was a GET).
   */
  async visit(ctx: Context): Promise<AccountVisit | undefined> {
    const sid = this.cookies.get(ctx, this.cookies.session);
    const s = await this.sessions.find(sid);
    const user = s && (await this.directory.findById(s.accountId));
    // A disabled account's page session ends too; signing in again then says the account is disabled.
    if (!s || !user || user.accountEnabled === false) {
      if (s) await this.sessions.end(s.id);
      if (sid) this.cookies.clear(ctx, this.cookies.session);
      await this.signIn.start(ctx, 'signin', undefined, ctx.method === 'GET' ? ctx.url : undefined);
      return undefined;
    }
    return { s, user };
  }

  /**
   * The checks every change passes before it is looked at (a foreign origin was refused already, by
   * sameOriginPosts): a session, the page's own form (CSRF token), and a recent enough sign-in (else the user
   * signs in again and comes back, to `returnTo` if given, to repeat it).
   */
  async change(ctx: Context, returnTo?: string): Promise<(AccountVisit & { form: Record<string, string> }) | undefined> {
    const c = await this.visit(ctx);
    if (!c) return undefined;
    const form = await readForm(ctx);
    if (!csrfMatches(form.csrf, c.s.csrf)) {
      this.log.warn('account.refused', { reason: 'missing or wrong CSRF token', accountId: c.user.id, path: ctx.path });
      await showAccountMessage(
        ctx,
        403,
        msg('refused.title'),
        msg(`${this.page.messages}.error.csrf`),
        { href: this.page.home, label: msg(`${this.page.messages}.goTo`) },
      );
      return undefined;
    }
    if (!this.sessions.isFresh(c.s)) {
      await this.signIn.start(ctx, 'reauth', c.user.userPrincipalName, returnTo);
      return undefined;
    }
    return { ...c, form };
  }
}
