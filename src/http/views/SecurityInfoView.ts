import type { PageLink } from './PageLink.js';
import type { PageTime } from './PageTime.js';

/** One passkey as the security-info page lists it. */
interface PasskeyRow {
  name: string;
  /** The authenticator's model from its AAGUID, when known and not already its name. */
  model: string | null;
  kind: string;
  added: PageTime;
  lastUsed: PageTime | null;
  renameAction: string;
  /** GET: the question before deleting; POST: the deletion. */
  deleteAction: string;
}

/** The TAP as the security-info page shows it; never its passcode (which is not stored anyway). */
interface TapRow {
  id: string;
  kind: string;
  added: PageTime;
  /** Words and moments, in order: "Expires ", then the time. */
  status: Array<string | PageTime>;
  usable: boolean;
  /** GET: the question before deleting; POST: the deletion. */
  deleteAction: string;
}

/** views/security-info.ejs: the signed-in user's own sign-in methods. */
export interface SecurityInfoView {
  title: string;
  username: string;
  displayName: string;
  csrf: string;
  notice: string | null;
  error: string | null;
  passkeys: PasskeyRow[];
  password: boolean;
  tap: TapRow | null;
  /** Onboarding: the TAP is the only way in, and it will end. */
  banner: boolean;
  addAction: string;
  reauthMinutes: number;
  /** Back to the application the page was opened from, when it said which (`?client_id=`) and has a `client_uri`. */
  back: PageLink | null;
  /** WebAuthn creation options, JSON; null while the sign-in is too old to change anything. */
  options: string | null;
}
