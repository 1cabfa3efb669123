/** views/identifier.ejs: the first sign-in step, and a username-less passkey prompt when a method offers one. */
export interface IdentifierView {
  title: string;
  action: string;
  username: string;
  error: string | null;
  clientName: string;
  /** Set by a method's `identifierExtras` (the passkey method); null when none offers it. */
  passkeyAction: string | null;
  passkeyOptions: string | null;
}
