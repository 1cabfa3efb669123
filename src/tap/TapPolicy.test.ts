import { describe, expect, it } from 'vitest';
import { applyPolicyChanges, defaultTapPolicy } from './TapPolicy.js';

const base = () => ({ ...defaultTapPolicy });

describe('applyPolicyChanges', () => {
  it('has the defaults of docs/rules.md', () => {
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

  it.each([
    [{ minimumLifetimeInMinutes: 9 }, 'minimumLifetimeInMinutes must be a whole number from 10 to 43200.'],
    [{ defaultLifetimeInMinutes: 1.5 }, 'defaultLifetimeInMinutes must be a whole number from 10 to 43200.'],
    [{ defaultLength: '12' }, 'defaultLength must be a whole number from 8 to 48.'],
    [{ state: 'on' }, 'state must be "enabled" or "disabled".'],
    [{ isUsableOnce: 'yes' }, 'isUsableOnce must be true or false.'],
    [{ includeTargets: 'everyone' }, 'includeTargets must be an array of {targetType, id}.'],
    [{ includeTargets: [null] }, 'includeTargets[0] must be {"targetType":"user"|"group","id":"..."}.'],
    [{ includeTargets: [{ targetType: 'user', id: 'a' }, { targetType: 'device', id: 'x' }] }, 'includeTargets[1] must be {"targetType":"user"|"group","id":"..."}.'],
    [{ excludeTargets: [{ targetType: 'user', id: '' }] }, 'excludeTargets[0] must be {"targetType":"user"|"group","id":"..."}.'],
    [{ excludeTargets: [{ targetType: 'user', id: 'x'.repeat(257) }] }, 'excludeTargets[0] must be {"targetType":"user"|"group","id":"..."}.'],
    [{ excludeTargets: [{ targetType: 'user' }] }, 'excludeTargets[0] must be {"targetType":"user"|"group","id":"..."}.'],
    [{ colour: 'blue' }, 'colour is not a property of the TemporaryAccessPass policy.'],
    [{ defaultLifetimeInMinutes: 481 }, 'defaultLifetimeInMinutes must lie between minimumLifetimeInMinutes and maximumLifetimeInMinutes.'],
  ])('refuses %j with the one-line message %j', (change, message) => {
    expect(() => applyPolicyChanges(base(), change)).toThrow(message);
  });

  it('refuses more than 500 targets, as the admin API always has, in the config file too', () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ targetType: 'user', id: `u${i}` }));
    expect(() => applyPolicyChanges(base(), { excludeTargets: many })).toThrow('excludeTargets may hold at most 500 targets.');
    expect(() => applyPolicyChanges(base(), { excludeTargets: many.slice(1) })).not.toThrow();
  });

  it('takes Graph targets and keeps only what a TAP uses of them', () => {
    const p = applyPolicyChanges(base(), { excludeTargets: [{ targetType: 'group', id: 'contractors', isRegistrationRequired: false }] });
    expect(p.excludeTargets).toEqual([{ targetType: 'group', id: 'contractors' }]);
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
