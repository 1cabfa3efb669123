import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PasscodeHasher } from './PasscodeHasher.js';

describe('PasscodeHasher', () => {
  it('is keyed by the server secret and salted per TAP, so a Redis dump alone cannot be checked offline', () => {
    const a = new PasscodeHasher('secret-a-0123456789-0123456789-01');
    const b = new PasscodeHasher('secret-b-0123456789-0123456789-01');
    const salt = a.newSalt();
    expect(a.hash('Passcode', salt)).toBe(a.hash('Passcode', salt));
    expect(a.hash('Passcode', salt)).not.toBe(b.hash('Passcode', salt));
    expect(a.hash('Passcode', salt)).not.toBe(a.hash('Passcode', a.newSalt()));
    expect(a.hash('Passcode', salt)).not.toBe(createHash('sha256').update(`${salt}\0Passcode`).digest('hex'));
    expect(a.hash('Passcode', salt)).toMatch(/^[0-9a-f]{64}$/);
  });
});
