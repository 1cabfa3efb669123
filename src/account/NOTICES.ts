/** What the page says after a redirect (`?done=`): fixed texts, so nothing from the URL is ever echoed. */
export const NOTICES = {
  reauth: 'For your security, you had to sign in again. Your change was not made yet: please make it again.',
  added: 'Your new passkey was added. You can sign in with it from now on.',
  renamed: 'The passkey was renamed.',
  deleted: 'The passkey was deleted. It can no longer be used to sign in.',
  'tap-deleted': 'Your Temporary Access Pass was deleted.',
} as const satisfies Record<string, string>;
