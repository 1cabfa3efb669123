import { randomBytes } from 'node:crypto';

/** Letters and digits without look-alikes (0/O/o, 1/l/I/i), so a passcode read aloud or printed survives. */
export const PASSCODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

/** A passcode of `length` characters drawn uniformly from a CSPRNG (rejection sampling, no modulo bias). */
export function generatePasscode(length: number): string {
  const n = PASSCODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += PASSCODE_ALPHABET[byte % n];
      if (out.length === length) break;
    }
  }
  return out;
}
