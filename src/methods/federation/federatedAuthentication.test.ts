import { describe, expect, it } from 'vitest';
import { federatedAuthentication } from './federatedAuthentication.js';

describe('federatedAuthentication', () => {
  it('puts fed first and keeps the upstream amr values', () => {
    expect(federatedAuthentication(['pwd', 'mfa', 'otp'], undefined)).toEqual({ amr: ['fed', 'pwd', 'mfa', 'otp'], acr: 'mfa' });
  });

  it("takes the upstream's acr when it is one of ours", () => {
    expect(federatedAuthentication(['hwk'], 'phr').acr).toBe('phr');
    expect(federatedAuthentication(['mfa'], 'pwd').acr).toBe('pwd');
  });

  it("falls back to mfa when the upstream's amr says so, else pwd", () => {
    expect(federatedAuthentication(['mfa'], 'urn:example:loa:2').acr).toBe('mfa');
    expect(federatedAuthentication(['pwd'], 'urn:example:loa:2').acr).toBe('pwd');
    expect(federatedAuthentication(undefined, undefined)).toEqual({ amr: ['fed'], acr: 'pwd' });
  });

  it('drops amr values that are not short tokens, and bounds their number', () => {
    expect(federatedAuthentication(['pwd', 42, '<script>', 'x'.repeat(100)], undefined).amr).toEqual(['fed', 'pwd']);
    expect(federatedAuthentication('mfa', undefined).amr).toEqual(['fed']);
    expect(federatedAuthentication(Array.from({ length: 50 }, (_, i) => `v${i}`), undefined).amr).toHaveLength(9);
  });
});
