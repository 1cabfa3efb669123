import type { Text } from '../../i18n/Text.js';
/** views/identifier.ejs: the first sign-in step, and a username-less passkey prompt when a method offers one. */
export interface IdentifierView {
  title: Text;
  action: string;
  username: string;
  error: Text | null;
  clientName: string;
  /** Set by a method's `identifierExtras` (the passkey method); null when none offers it. */
  passkeyAction: string | null;
  passkeyOptions: string | null;
}
