import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Keyed, salted passcode hashing: HMAC-SHA-256 under a key derived once from TAP_SECRET, which never lives
 * in Redis. A Redis dump alone therefore cannot be brute-forced offline.
 */
export class PasscodeHasher {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'oidc-tap', 'tap-passcode-hmac', 32));
  }

  newSalt(): string {
    return randomBytes(16).toString('hex');
  }

  /** Hex digest; compared in constant time by the verification script. */
  hash(passcode: string, salt: string): string {
    return createHmac('sha256', this.#key).update(salt).update('\0').update(passcode.normalize('NFKC')).digest('hex');
  }
}
