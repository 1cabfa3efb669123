import type { AccountCookies } from './AccountCookies.js';
import type { AccountGate } from './AccountGate.js';
import type { AccountRouterDeps } from './AccountRouterDeps.js';
import type { AccountSessions } from './AccountSessions.js';
import type { AccountSignIn } from './AccountSignIn.js';

/** What the page's handlers share, built once by accountRouter. */
export interface AccountTools {
  deps: AccountRouterDeps;
  sessions: AccountSessions;
  cookies: AccountCookies;
  signIn: AccountSignIn;
  gate: AccountGate;
}
