import { describe, expect, it } from 'vitest';
import { generatePasscode, PASSCODE_ALPHABET } from './generatePasscode.js';

describe('generatePasscode', () => {
  it('gives the asked length from an alphabet without look-alike characters', () => {
    for (const length of [8, 20, 48]) {
      const p = generatePasscode(length);
      expect(p).toHaveLength(length);
      expect(p).toMatch(/^[A-Za-z0-9]+$/);
      expect(p).not.toMatch(/[0O1lIio]/);
    }
    expect(PASSCODE_ALPHABET).not.toMatch(/[0O1lIio]/);
  });

  it('uses the whole alphabet roughly evenly (no modulo bias, no repeats)', () => {
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = generatePasscode(16);
      seen.add(p);
      for (const c of p) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(2000);
    expect(counts.size).toBe(PASSCODE_ALPHABET.length);
    const expected = (2000 * 16) / PASSCODE_ALPHABET.length;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.25);
  });
});
