/** The TAP this sign-in began with was deleted, replaced or ran out, or the account's sessions were revoked. */
export const SIGN_IN_ENDED =
  'The Temporary Access Pass you signed in with has been deleted, replaced or has ended, so this sign-in cannot go on. ' +
  'Sign in again, or ask your administrator for a new Temporary Access Pass.';
