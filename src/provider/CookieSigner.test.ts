import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CookieSigner } from './CookieSigner.js';

/** keygrip's signature, as its README defines it: HMAC-SHA1, base64 with `/+=` made URL-safe and unpadded. */
const keygripSignature = (data: string, key: string) =>
  createHmac('sha1', key).update(data).digest('base64').replace(/\/|\+|=/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c]!);

describe('CookieSigner', () => {
  const data = '_interaction=Zx8pQ2rT5vW9yB3nM6kL1';

  it("signs as keygrip does with the newest key, so cookies signed before the change (or by an older instance) stay valid", () => {
    const signer = new CookieSigner(['newest-key-0123456789', 'older-key-0123456789']);
    expect(signer.sign(data)).toBe(keygripSignature(data, 'newest-key-0123456789'));
    expect(signer.index(data, keygripSignature(data, 'newest-key-0123456789'))).toBe(0);
    expect(signer.verify(data, keygripSignature(data, 'newest-key-0123456789'))).toBe(true);
  });

  it('names the older key that signed a cookie (the cookies module then signs it again with the newest)', () => {
    const signer = new CookieSigner(['newest-key-0123456789', 'older-key-0123456789']);
    expect(signer.index(data, keygripSignature(data, 'older-key-0123456789'))).toBe(1);
  });

  it('refuses a signature of other data, of an unknown key, cut short, or missing', () => {
    const signer = new CookieSigner(['newest-key-0123456789']);
    const good = signer.sign(data);
    expect(signer.index(`${data}x`, good)).toBe(-1);
    expect(signer.index(data, keygripSignature(data, 'someone-elses-key-0123'))).toBe(-1);
    expect(signer.index(data, good.slice(0, -1))).toBe(-1);
    expect(signer.index(data, '')).toBe(-1);
    expect(signer.verify(data, undefined as unknown as string)).toBe(false);
  });
});
