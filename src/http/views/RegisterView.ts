import type { Text } from '../../i18n/Text.js';
/** views/register.ejs: register a passkey after a TAP sign-in. */
export interface RegisterView {
  title: Text;
  username: string;
  clientName: string;
  action: string;
  /** WebAuthn creation options, JSON; null once the window is closed. */
  options: string | null;
  /** Left of a one-time TAP's window; null when there is none. */
  secondsLeft: number | null;
  skipAction: string | null;
  abortAction: string;
  restartHref: string | null;
  error: Text | null;
}
