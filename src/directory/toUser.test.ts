import { describe, expect, it } from 'vitest';
import { toUser } from './toUser.js';
import type { User } from './User.js';

describe('toUser', () => {
  it('fills a host user’s defaults: a member with no roles or groups', () => {
    expect(toUser({ id: 'h1', userPrincipalName: 'a@host.example', displayName: 'A' })).toEqual({
      id: 'h1',
      userPrincipalName: 'a@host.example',
      displayName: 'A',
      userType: 'Member',
      roles: [],
      groups: [],
      createdDateTime: '1970-01-01T00:00:00.000Z',
    });
    expect(toUser({ id: 'h2', userPrincipalName: 'g@host.example', displayName: 'G', userType: 'Guest' }).guestOrigin).toBe('internal');
  });

  it('gives a stored record back with the same JSON, which the Redis directory’s compare-and-set compares', () => {
    const stored: User = {
      id: '6b1f7a52-0000-4000-8000-000000000001',
      userPrincipalName: 'ext@partner.com',
      displayName: 'Ext',
      userType: 'Guest',
      guestOrigin: 'external',
      roles: ['GlobalAdministrator'],
      groups: ['g'],
      createdDateTime: '2026-01-01T00:00:00.000Z',
      passwordHash: 'scrypt$1$2$3$salt$hash',
    };
    expect(JSON.stringify(toUser(JSON.parse(JSON.stringify(stored)) as User))).toBe(JSON.stringify(stored));
  });
});
