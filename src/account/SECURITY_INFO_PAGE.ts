import { AccountCookies } from './AccountCookies.js';
import { SECURITY_INFO_PATH } from './SECURITY_INFO_PATH.js';
import type { SignInPage } from './SignInPage.js';

/** The security-info page as one of the product's signed-in pages. */
export const SECURITY_INFO_PAGE: SignInPage = {
  client: 'account',
  home: SECURITY_INFO_PATH,
  cookies: { session: AccountCookies.SESSION, login: AccountCookies.LOGIN },
  messages: 'securityInfo',
};
