import { describe, expect, it } from 'vitest';
import models from './aaguids.json' with { type: 'json' };
import { authenticatorModel } from './authenticatorModel.js';

describe('authenticatorModel', () => {
  it('names a listed AAGUID whatever its case, and nothing for the all-zero one, an unlisted one or a property name', () => {
    expect(authenticatorModel('fbfc3007-154e-4ecc-8c0b-6e020557d7bd')).toBe('iCloud Keychain');
    expect(authenticatorModel('EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4')).toBe('Google Password Manager');
    expect(authenticatorModel('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(authenticatorModel('01020304-0506-0708-0102-030405060708')).toBeUndefined();
    expect(authenticatorModel('constructor')).toBeUndefined();
    expect(authenticatorModel('__proto__')).toBeUndefined();
  });

  it('reads a list of lowercase AAGUIDs and short printable names, as scripts/update-aaguids.ts writes it', () => {
    const entries = Object.entries(models as Record<string, unknown>);
    expect(entries.length).toBeGreaterThan(10);
    for (const [aaguid, name] of entries) {
      expect(aaguid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(aaguid).not.toBe('00000000-0000-0000-0000-000000000000');
      expect(typeof name).toBe('string');
      expect(name).toMatch(/^[^\p{Cc}\p{Cf}]{1,80}$/u);
    }
    expect(Object.keys(models)).toEqual(Object.keys(models).sort());
  });
});
