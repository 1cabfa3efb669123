import type { MessageRef } from '../../i18n/MessageRef.js';
import type { Text } from '../../i18n/Text.js';
import type { PageLink } from './PageLink.js';

/** One passkey as the security-info page lists it. */
interface PasskeyRow {
  name: string;
  /** The authenticator's model from its AAGUID, when known and not already its name. */
  model: string | null;
  /** Synced between the user's devices, or bound to one device or security key. */
  synced: boolean;
  /** ms since the epoch; the page formats it in the person's locale and time zone. */
  addedAt: number;
  lastUsedAt: number | null;
  renameAction: string;
  /** GET: the question before deleting; POST: the deletion. */
  deleteAction: string;
}

/** The TAP as the security-info page shows it; never its passcode (which is not stored anyway). */
interface TapRow {
  id: string;
  /** Usable once only. */
  once: boolean;
  addedAt: number;
  /** Its state in words, with the dates it names. */
  status: MessageRef;
  usable: boolean;
  /** GET: the question before deleting; POST: the deletion. */
  deleteAction: string;
}

/** views/security-info.ejs: the signed-in user's own sign-in methods. */
export interface SecurityInfoView {
  title: Text;
  username: string;
  displayName: string;
  csrf: string;
  notice: Text | null;
  error: Text | null;
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
