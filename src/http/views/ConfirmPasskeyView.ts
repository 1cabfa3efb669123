import type { Text } from '../../i18n/Text.js';
/** views/confirm-passkey.ejs: sign in once with the passkey just registered. */
export interface ConfirmPasskeyView {
  title: Text;
  username: string;
  clientName: string;
  action: string;
  /** WebAuthn request options for that passkey only, JSON. */
  options: string;
  error: Text | null;
}
