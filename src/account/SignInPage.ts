import type { INTERNAL_CLIENTS } from '../provider/INTERNAL_CLIENTS.js';

/**
 * One of the product's own pages that signs people in through this provider (security info, the admin
 * console): the same sign-in, session, CSRF and re-authentication machinery serves each with its own client,
 * cookies and words.
 */
export interface SignInPage {
  client: keyof typeof INTERNAL_CLIENTS;
  /** Where the page lives: sign-ins come back here, refusals link here. */
  home: string;
  /** Cookie names: the page's session, and the sign-in in progress. */
  cookies: { session: string; login: string };
  /**
   * The catalogue prefix of the page's words: `<prefix>.goTo`, `<prefix>.error.csrf` and
   * `<prefix>.signIn.{expired,cancelled,failed}.{heading,message}`.
   */
  messages: string;
}
