import type { Logger } from '../log/Logger.js';
import type { AccountCookies } from './AccountCookies.js';
import type { AccountGate } from './AccountGate.js';
import type { AccountSessions } from './AccountSessions.js';
import type { AccountSignIn } from './AccountSignIn.js';
import type { SignInPage } from './SignInPage.js';

/** The sign-in, session and gate of one of the product's signed-in pages, built once by `buildPageTools`. */
export interface PageTools {
  page: SignInPage;
  sessions: AccountSessions;
  cookies: AccountCookies;
  signIn: AccountSignIn;
  gate: AccountGate;
  log: Logger;
}
