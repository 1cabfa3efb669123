import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './parseConfig.js';

describe('parseConfig', () => {
  it('accepts the demo tenant and fills in defaults', () => {
    const c = parseConfig(JSON.parse(readFileSync('config/default.json', 'utf8')));
    expect(c.clients[0]!.client_id).toBe('demo-app');
    expect(c.users.find((u) => u.roles.includes('GlobalAdministrator'))).toBeDefined();
    expect(c.tapPolicy.state).toBe('enabled');
    expect(c.options.tapLockAfterFailures).toBe(10);
    expect(c.options.tapDelayAfterFailures).toBe(5);
    expect(c.users[1]!.userType).toBe('Member');
  });

  it.each([
    [{ users: [{ userPrincipalName: 'x' }] }, 'users[0].userPrincipalName: "x" is not of the form name@domain'],
    [{ users: [{ userPrincipalName: 'a@b.com', roles: ['King'] }] }, 'users[0].roles[0]: "King" is not one of'],
    [{ users: [{ userPrincipalName: 'a@b.com' }, { userPrincipalName: 'A@b.com' }] }, 'users[1].userPrincipalName: "A@b.com" appears twice'],
    [{ clients: [{}] }, 'clients[0].client_id: must be a non-empty string'],
    [{ clients: [{ client_id: 'a', permissions: ['Everything'] }] }, 'clients[0].permissions[0]'],
    [{ tapPolicy: { defaultLength: 4 } }, 'tapPolicy: defaultLength must be a whole number from 8 to 48.'],
    [{ options: { tapLockAfterFailures: 0 } }, 'options.tapLockAfterFailures: must be a positive whole number'],
    [{ federation: { domains: { 'x.test': { issuer: 'nope', clientId: 'a', clientSecret: 'b' } } } }, 'federation.domains.x.test.issuer: must be a URL'],
    [{ surprise: 1 }, 'surprise: is not a known config section'],
  ])('refuses %j with one line naming the field', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });
});
