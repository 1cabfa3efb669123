import type { SignInPage } from '../account/SignInPage.js';

/** The admin console as one of the product's signed-in pages: its own client, cookies (scoped to /admin) and words. */
export const ADMIN_PAGE: SignInPage = {
  client: 'admin',
  home: '/admin',
  cookies: { session: 'oidc-tap.admin', login: 'oidc-tap.admin-login' },
  messages: 'admin',
};
