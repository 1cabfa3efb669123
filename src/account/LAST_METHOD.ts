/** Why the last passkey of a user with no other way in is kept. */
export const LAST_METHOD =
  "You can't delete your only way to sign in. Add another passkey first, or ask your administrator for a Temporary Access Pass.";
