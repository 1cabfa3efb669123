import { createHash, createHmac, hkdfSync } from 'node:crypto';
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
    expect(a.hash('Passcode', salt)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('still verifies a TAP stored with a hex salt and hex hash, as issued before salts became base64url', () => {
    const a = new PasscodeHasher('secret-a-0123456789-0123456789-01');
    const hexSalt = '00112233445566778899aabbccddeeff';
    const expected = createHmac('sha256', Buffer.from(hkdfSync('sha256', 'secret-a-0123456789-0123456789-01', 'oidc-tap', 'tap-passcode-hmac', 32)))
      .update(`${hexSalt}\0Passcode`)
      .digest('hex');
    expect(a.hash('Passcode', hexSalt)).toBe(expected);
  });
});
