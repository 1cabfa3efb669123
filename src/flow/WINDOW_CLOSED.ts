/** A one-time TAP's registration window has passed. */
export const WINDOW_CLOSED =
  'The 10 minutes to register a passkey after signing in with your one-time Temporary Access Pass have passed. ' +
  'Ask your administrator for a new Temporary Access Pass, then sign in again.';
