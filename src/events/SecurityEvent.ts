/** Something a receiver of security events should hear of; becomes one Security Event Token. */
export interface SecurityEvent {
  type: 'tap-issued' | 'tap-approved' | 'tap-deleted' | 'tap-used' | 'tap-locked-out' | 'passkey-added' | 'passkey-removed';
  /** The user concerned; the token's subject (`sub_id`, the same `sub` as in their ID tokens). */
  userId: string;
  /** When it happened, ms since the epoch. */
  atMs: number;
  /** CAEP's `initiating_entity`. */
  initiator: 'admin' | 'user' | 'system';
  /** The TAP's id or the passkey's credential id. */
  credentialId?: string;
  /** A passkey's authenticator model. */
  aaguid?: string;
  /** A passkey built into its device rather than a roaming authenticator. */
  platform?: boolean;
  /** The relying party a TAP was used to sign in to. */
  clientId?: string;
  /** Said to an administrator (CAEP's `reason_admin`). */
  reason?: string;
}
