/** A registered WebAuthn credential, as kept in Redis. */
export interface Passkey {
  /** Credential id (base64url), unique across the deployment. */
  id: string;
  userId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** Last signature counter seen; 0 for authenticators that keep none. */
  counter: number;
  transports: string[];
  /** Authenticator model id, `00000000-0000-0000-0000-000000000000` when the authenticator does not say. */
  aaguid: string;
  /** `multiDevice` for a synced passkey, `singleDevice` for one bound to its authenticator. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  /** Shown to the user; they may rename it. */
  name: string;
  /** ms since the epoch. */
  createdAt: number;
  lastUsedAt?: number;
}
