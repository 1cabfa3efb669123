import { describe, expect, it } from 'vitest';
import { applyPolicyChanges, defaultTapPolicy } from './TapPolicy.js';

const base = () => ({ ...defaultTapPolicy });

describe('applyPolicyChanges', () => {
  it('has the defaults of behaviour.md', () => {
    expect(defaultTapPolicy).toMatchObject({
      state: 'disabled',
      includeTargets: [{ targetType: 'group', id: 'all_users' }],
      excludeTargets: [],
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLifetimeInMinutes: 60,
      defaultLength: 8,
      isUsableOnce: false,
    });
  });

  it.each([
    [{ minimumLifetimeInMinutes: 9 }, 'minimumLifetimeInMinutes'],
    [{ maximumLifetimeInMinutes: 43_201 }, 'maximumLifetimeInMinutes'],
    [{ defaultLength: 7 }, 'defaultLength'],
    [{ defaultLength: 49 }, 'defaultLength'],
    [{ minimumLifetimeInMinutes: 500 }, 'maximumLifetimeInMinutes must be at least minimumLifetimeInMinutes'],
    [{ defaultLifetimeInMinutes: 481 }, 'defaultLifetimeInMinutes'],
    [{ defaultLifetimeInMinutes: 30 }, 'defaultLifetimeInMinutes'],
    [{ state: 'on' }, 'state'],
    [{ isUsableOnce: 'yes' }, 'isUsableOnce'],
    [{ includeTargets: [{ targetType: 'device', id: 'x' }] }, 'includeTargets[0]'],
    [{ colour: 'blue' }, 'colour'],
  ])('refuses %j naming the field', (change, field) => {
    expect(() => applyPolicyChanges(base(), change)).toThrow(field);
  });

  it('accepts the edges of the ranges and keeps fields it was not given', () => {
    const p = applyPolicyChanges(base(), {
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
      minimumLifetimeInMinutes: 10,
      maximumLifetimeInMinutes: 43_200,
      defaultLength: 48,
    });
    expect(p).toMatchObject({ minimumLifetimeInMinutes: 10, maximumLifetimeInMinutes: 43_200, defaultLength: 48, defaultLifetimeInMinutes: 60 });
  });
});
