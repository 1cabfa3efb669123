import { AccountCookies } from './AccountCookies.js';
import { AccountGate } from './AccountGate.js';
import type { AccountRouterDeps } from './AccountRouterDeps.js';
import { AccountSessions } from './AccountSessions.js';
import { AccountSignIn } from './AccountSignIn.js';
import type { PageTools } from './PageTools.js';
import type { SignInPage } from './SignInPage.js';

/** What a page needs to sign people in through this provider and to guard its changes. */
type Needs = Pick<AccountRouterDeps, 'provider' | 'issuer' | 'redis' | 'clock' | 'directory' | 'reauthenticationMaxAgeSeconds' | 'log'>;

/** The sign-in machinery of `page` (security info, the admin console): one implementation, each page its own client and cookies. */
export function buildPageTools(deps: Needs, page: SignInPage): PageTools {
  const issuer = deps.issuer.replace(/\/+$/, '');
  const sessions = new AccountSessions(deps.redis, deps.provider, deps.clock, deps.reauthenticationMaxAgeSeconds * 1000, page.client);
  const cookies = new AccountCookies(new URL(issuer).protocol === 'https:', page);
  const signIn = new AccountSignIn(deps.provider, issuer, sessions, cookies, page);
  const gate = new AccountGate(deps.directory, sessions, cookies, signIn, deps.log, page);
  return { page, sessions, cookies, signIn, gate, log: deps.log };
}
