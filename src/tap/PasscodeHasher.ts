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

  /**
   * 128 random bits as base64url (22 characters). With the base64url digest below, a stored TAP fits a smaller
   * Redis allocation than with hex (344 instead of 408 bytes by MEMORY USAGE; docs/benchmarks.md).
   */
  newSalt(): string {
    return randomBytes(16).toString('base64url');
  }

  /**
   * The digest, compared in constant time by the verification script: base64url, or hex for a TAP issued with
   * a hex salt (32 characters, before salts became base64url), so those still verify.
   */
  hash(passcode: string, salt: string): string {
    const digest = createHmac('sha256', this.#key).update(salt).update('\0').update(passcode.normalize('NFKC')).digest();
    return digest.toString(salt.length === 32 ? 'hex' : 'base64url');
  }
}
