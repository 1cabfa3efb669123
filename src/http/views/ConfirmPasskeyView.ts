/** views/confirm-passkey.ejs: sign in once with the passkey just registered. */
export interface ConfirmPasskeyView {
  title: string;
  username: string;
  clientName: string;
  action: string;
  /** WebAuthn request options for that passkey only, JSON. */
  options: string;
  error: string | null;
}
