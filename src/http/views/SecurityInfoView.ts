/** One passkey as the security-info page lists it. */
interface PasskeyRow {
  name: string;
  kind: string;
  added: string;
  lastUsed: string | null;
  renameAction: string;
  deleteAction: string;
}

/** The TAP as the security-info page shows it; never its passcode (which is not stored anyway). */
interface TapRow {
  id: string;
  kind: string;
  added: string;
  status: string;
  usable: boolean;
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
  /** WebAuthn creation options, JSON; null while the sign-in is too old to change anything. */
  options: string | null;
}
