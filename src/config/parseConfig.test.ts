import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './parseConfig.js';

const LDAP = { type: 'ldap', url: 'ldaps://ldap.example', bindDN: 'cn=oidc-tap,dc=example', bindPassword: 'pw', searchBase: 'ou=people,dc=example' };

describe('parseConfig', () => {
  it('reads users from LDAP with a directory section: its defaults, and the bind password from LDAP_BIND_PASSWORD', () => {
    const { bindPassword: _, ...withoutPassword } = LDAP;
    const c = parseConfig({ directory: withoutPassword }, { LDAP_BIND_PASSWORD: 'from-env' });
    expect(c.directory).toMatchObject({
      bindPassword: 'from-env',
      userFilter: '(objectClass=inetOrgPerson)',
      attributes: { id: 'entryUUID', userPrincipalName: 'mail', displayName: 'displayName' },
      groupAttribute: 'memberOf',
      roles: {},
      cacheTtlSeconds: 60,
    });
    expect(() => parseConfig({ directory: withoutPassword }, {})).toThrow('directory.bindPassword: is required (or set LDAP_BIND_PASSWORD)');
    expect(parseConfig({}).directory).toBeUndefined();
  });

  it('accepts the demo tenant and fills in defaults', () => {
    const c = parseConfig(JSON.parse(readFileSync('config/default.json', 'utf8')));
    expect(c.clients[0]!.client_id).toBe('demo-app');
    expect(c.users.find((u) => u.roles.includes('GlobalAdministrator'))).toBeDefined();
    expect(c.tapPolicy.state).toBe('enabled');
    expect(c.options.tapLockAfterFailures).toBe(10);
    expect(c.options.tapDelayAfterFailures).toBe(5);
    expect(c.users[1]!.userType).toBe('Member');
    // A client may act for a signed-in person at the admin API only with what its entry allows: nothing by default.
    expect(c.clients[0]!.delegatedPermissions).toEqual([]);
  });

  it('gives federated domains and their options their defaults', () => {
    const c = parseConfig({ federation: { domains: { 'X.test': { issuer: 'https://idp.x.test/', clientId: 'a', clientSecret: 'b' } } } });
    expect(c.federation.domains['x.test']).toEqual({
      issuer: 'https://idp.x.test',
      clientId: 'a',
      clientSecret: 'b',
      tokenEndpointAuthMethod: 'client_secret_basic',
      upnClaim: 'email',
    });
    expect(c.options.federationClockToleranceSeconds).toBe(30);
    expect(c.options.allowPasskeyForFederatedUsers).toBe(true);
    expect(parseConfig({ federation: { domains: { 'l.test': { issuer: 'http://localhost:4000', clientId: 'a', clientSecret: 'b' } } } }).federation.domains['l.test']!.issuer).toBe(
      'http://localhost:4000',
    );
  });

  it.each([
    [{ users: [{ userPrincipalName: 'x' }] }, 'users[0].userPrincipalName: "x" is not of the form name@domain'],
    [{ users: [{ userPrincipalName: 'a@b.com', roles: ['King'] }] }, 'users[0].roles[0]: "King" is not one of'],
    [{ users: [{ userPrincipalName: 'a@b.com' }, { userPrincipalName: 'A@b.com' }] }, 'users[1].userPrincipalName: "A@b.com" appears twice'],
    [{ clients: [{}] }, 'clients[0].client_id: must be a non-empty string'],
    [{ clients: [{ client_id: 'a', permissions: ['Everything'] }] }, 'clients[0].permissions[0]'],
    [{ clients: [{ client_id: 'a', delegatedPermissions: ['Directory.AccessAsUser.All'] }] }, 'clients[0].delegatedPermissions[0]: "Directory.AccessAsUser.All" is not one of'],
    [{ tapPolicy: { defaultLength: 4 } }, 'tapPolicy: defaultLength must be a whole number from 8 to 48.'],
    [{ options: { tapLockAfterFailures: 0 } }, 'options.tapLockAfterFailures: must be a positive whole number'],
    [{ options: { sessionIdleTimeoutSeconds: -1 } }, 'options.sessionIdleTimeoutSeconds: must be a positive whole number, or 0 for none'],
    [{ options: { tapLockAfterTotalFailures: 9 } }, 'options.tapLockAfterTotalFailures: must be at least tapLockAfterFailures'],
    [{ federation: { domains: { 'x.test': { issuer: 'nope', clientId: 'a', clientSecret: 'b' } } } }, 'federation.domains.x.test.issuer: must be a URL'],
    [{ federation: { domains: { 'x.test': { issuer: 'http://idp.x.test', clientId: 'a', clientSecret: 'b' } } } }, 'federation.domains.x.test.issuer: must be an https URL'],
    [{ federation: { domains: { 'x.test': { issuer: 'https://idp.x.test', clientId: 'a', clientSecret: 'b', upnClaim: '' } } } }, 'federation.domains.x.test.upnClaim'],
    [{ options: { allowPasskeyForFederatedUsers: 'no' } }, 'options.allowPasskeyForFederatedUsers: must be true or false'],
    [{ surprise: 1 }, 'surprise: is not a known config section'],
    [[], 'config: must be a JSON object'],
    [{ users: {} }, 'users: must be an array'],
    [{ users: ['a@b.com'] }, 'users[0]: must be an object'],
    [{ users: [{}] }, 'users[0].userPrincipalName: must be a non-empty string'],
    [{ users: [{ userPrincipalName: 'a@b.com', userType: 'Owner' }] }, 'users[0].userType: must be "Member" or "Guest"'],
    [{ users: [{ userPrincipalName: 'a@b.com', guestOrigin: 'space' }] }, 'users[0].guestOrigin: must be "internal" or "external"'],
    [{ users: [{ userPrincipalName: 'a@b.com', displayName: '' }] }, 'users[0].displayName: must be a non-empty string'],
    [{ users: [{ userPrincipalName: 'a@b.com', password: 5 }] }, 'users[0].password: must be a non-empty string'],
    [{ users: [{ userPrincipalName: 'a@b.com', groups: 'staff' }] }, 'users[0].groups: must be an array of strings'],
    [{ users: [{ userPrincipalName: 'a@b.com', groups: [7] }] }, 'users[0].groups[0]: must be a non-empty string'],
    [{ clients: {} }, 'clients: must be an array'],
    [{ clients: [7] }, 'clients[0]: must be an object'],
    [{ tapPolicy: [] }, 'tapPolicy: must be an object'],
    [{ federation: 'x' }, 'federation.domains: must be an object keyed by domain'],
    [{ federation: { domains: [] } }, 'federation.domains: must be an object keyed by domain'],
    [{ federation: { domains: { 'x.test': 'https://idp.x.test' } } }, 'federation.domains.x.test: must be an object'],
    [{ federation: { domains: { 'x.test': { issuer: 'https://idp.x.test', clientSecret: 'b' } } } }, 'federation.domains.x.test.clientId: must be a non-empty string'],
    [{ federation: { domains: { 'x.test': { issuer: 'https://idp.x.test', clientId: 'a', clientSecret: 'b', tokenEndpointAuthMethod: 'none' } } } }, 'federation.domains.x.test.tokenEndpointAuthMethod: must be client_secret_basic or client_secret_post'],
    [{ options: { colour: 'blue' } }, 'options.colour: is not a known option'],
    [{ options: [] }, 'options: must be an object'],
    [{ options: { grantTtlSeconds: 1.5 } }, 'options.grantTtlSeconds: must be a positive whole number'],
    [{ options: { tapLockAfterFailures: 5 } }, 'options.tapLockAfterFailures: must be greater than tapDelayAfterFailures'],
    [{ options: { rateLimits: { apiPerCaller: 5 } } }, 'options.rateLimits.apiPerCaller: must be an object with limit and windowSeconds'],
    [{ tapPolicy: { colour: 'blue' } }, 'tapPolicy: colour is not a property of the TemporaryAccessPass policy.'],
    [{ securityEvents: { url: 'http://receiver.example/events' } }, 'securityEvents.url: must be an https URL (http only for localhost)'],
    [{ securityEvents: { url: 'https://receiver.example', retries: 3 } }, 'securityEvents.retries: is not a known setting'],
    [{ securityEvents: { url: 'https://receiver.example', maxAttempts: 0 } }, 'securityEvents.maxAttempts: must be a positive whole number'],
    [{ securityEvents: {} }, 'securityEvents.url: must be a non-empty string'],
    [{ securityEvents: { url: 'not a url' } }, 'securityEvents.url: must be a URL'],
    [{ securityEvents: { url: 'https://receiver.example', audience: '' } }, 'securityEvents.audience: must be a non-empty string'],
    [{ securityEvents: 'https://receiver.example' }, 'securityEvents: must be an object'],
    [{ directory: { ...LDAP, url: 'ldap://ldap.example' } }, 'directory.url: must be an ldaps URL (ldap only for localhost)'],
    [{ directory: { ...LDAP, type: 'ad' } }, 'directory.type: must be ldap'],
    [{ directory: { ...LDAP, roles: { admins: 'King' } } }, 'directory.roles.admins: must be one of GlobalAdministrator'],
    [{ directory: { ...LDAP, attributes: { uid: 'uid' } } }, 'directory.attributes.uid: is not a known attribute'],
    [{ directory: { ...LDAP, cacheTtlSeconds: 0 } }, 'directory.cacheTtlSeconds: must be a positive whole number'],
    [{ directory: LDAP, users: [{ userPrincipalName: 'a@b.com' }] }, 'users: must be empty with an LDAP directory'],
  ])('refuses %j with one line naming the field', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('fills in user defaults: the display name from the UPN, Member, and internal for a guest', () => {
    const c = parseConfig({ users: [{ userPrincipalName: 'ann@b.com' }, { userPrincipalName: 'gus@b.com', userType: 'Guest', groups: ['g'], password: 'pw' }] });
    expect(c.users).toEqual([
      { userPrincipalName: 'ann@b.com', displayName: 'ann', userType: 'Member', roles: [], groups: [] },
      { userPrincipalName: 'gus@b.com', displayName: 'gus', userType: 'Guest', guestOrigin: 'internal', roles: [], groups: ['g'], password: 'pw' },
    ]);
  });

  it('has no session idle timeout unless configured, and takes 0 for none', () => {
    expect(parseConfig({}).options.sessionIdleTimeoutSeconds).toBe(0);
    expect(parseConfig({ options: { sessionIdleTimeoutSeconds: 0 } }).options.sessionIdleTimeoutSeconds).toBe(0);
    expect(parseConfig({ options: { sessionIdleTimeoutSeconds: 900 } }).options.sessionIdleTimeoutSeconds).toBe(900);
  });

  it('keeps audit records 30 days and sends no security events unless configured; fills in the webhook defaults', () => {
    expect(parseConfig({}).options.auditRetentionDays).toBe(30);
    expect(parseConfig({}).securityEvents).toBeUndefined();
    expect(parseConfig({ securityEvents: { url: 'https://receiver.example/ssf/push' } }).securityEvents).toEqual({
      url: 'https://receiver.example/ssf/push',
      audience: 'https://receiver.example',
      maxAttempts: 12,
      backoffMs: 2000,
      timeoutMs: 5000,
    });
  });

  it('fills in each rate limit field by field, and names a bad one', () => {
    const c = parseConfig({ options: { rateLimits: { signInPerAccount: { limit: 5 } } } });
    expect(c.options.rateLimits.signInPerAccount).toEqual({ limit: 5, windowSeconds: 600 });
    expect(c.options.rateLimits.apiPerAddress).toEqual({ limit: 20_000, windowSeconds: 600 });
    expect(() => parseConfig({ options: { rateLimits: { signInPerAccount: { limit: 0 } } } })).toThrow('options.rateLimits.signInPerAccount.limit: must be a positive whole number');
    expect(() => parseConfig({ options: { rateLimits: { perPlanet: { limit: 1 } } } })).toThrow(/options\.rateLimits\.perPlanet: is not one of signInPerAccount/);
    expect(() => parseConfig({ options: { rateLimits: { tokenPerClient: { burst: 1 } } } })).toThrow('options.rateLimits.tokenPerClient.burst: is not limit or windowSeconds');
    expect(() => parseConfig({ options: { rateLimits: 5 } })).toThrow('options.rateLimits: must be an object');
  });

  it('declares the deployment\'s APIs in resources: JWT by default, the options\' access token lifetime, and names a bad field', () => {
    expect(parseConfig({}).resources).toEqual([]);
    const [api] = parseConfig({ resources: [{ identifier: 'https://api.contoso.test', scopes: ['orders.read'] }] }).resources!;
    expect(api).toEqual({ identifier: 'https://api.contoso.test', scopes: ['orders.read'], accessTokenFormat: 'jwt' });
    const bad = (resources: unknown) => () => parseConfig({ resources });
    expect(bad([{ identifier: 'api', scopes: ['a'] }])).toThrow('resources[0].identifier: must be an absolute URL');
    expect(bad([{ identifier: 'https://a.test/#x', scopes: ['a'] }])).toThrow('resources[0].identifier: must not have a fragment');
    expect(bad([{ identifier: 'https://a.test', scopes: ['a'] }, { identifier: 'https://a.test', scopes: ['b'] }])).toThrow('resources[1].identifier: "https://a.test" appears twice');
    expect(bad([{ identifier: 'https://a.test', scopes: [] }])).toThrow('resources[0].scopes: must be a non-empty array of scope names');
    expect(bad([{ identifier: 'https://a.test', scopes: ['two words'] }])).toThrow('resources[0].scopes[0]: must be a scope name');
    expect(bad([{ identifier: 'https://a.test', scopes: ['openid'] }])).toThrow('resources[0].scopes: "openid" is an OpenID Connect scope');
    expect(bad([{ identifier: 'https://a.test', scopes: ['a'], accessTokenFormat: 'paseto' }])).toThrow('resources[0].accessTokenFormat: must be jwt or opaque');
    expect(bad([{ identifier: 'https://a.test', scopes: ['a'], accessTokenTtlSeconds: 0 }])).toThrow('resources[0].accessTokenTtlSeconds: must be a positive whole number');
    expect(bad([{ identifier: 'https://a.test', scopes: ['a'], audience: 'x' }])).toThrow('resources[0].audience: is not a known setting');
  });
  it('checks branding: hex colours, https URLs or paths on this server (their origins alone reach the CSP), an IANA time zone', () => {
    expect(parseConfig({}).branding).toEqual({});
    const ok = parseConfig({ branding: { logoUrl: '/logo.svg', cssUrl: 'https://cdn.example/x.css', helpUrl: 'mailto:help@example.com', colors: { primary: '#0B5394' }, timeZone: 'Europe/Berlin' } }).branding!;
    expect(ok).toMatchObject({ logoUrl: '/logo.svg', cssUrl: 'https://cdn.example/x.css', helpUrl: 'mailto:help@example.com' });
    expect(() => parseConfig({ branding: { colors: { primary: 'red; background: url(https://evil.example)' } } })).toThrow('branding.colors.primary: must be a CSS hex colour such as "#0b5394"');
    expect(() => parseConfig({ branding: { colors: { accent: '#fff' } } })).toThrow('branding.colors.accent: is not a known colour (primary, background)');
    expect(() => parseConfig({ branding: { logoUrl: 'http://cdn.example/logo.svg' } })).toThrow('branding.logoUrl: must be an https URL (http only for localhost) or a path on this server ("/…")');
    expect(() => parseConfig({ branding: { cssUrl: '//cdn.example/x.css' } })).toThrow('branding.cssUrl: must be an https URL');
    expect(() => parseConfig({ branding: { faviconUrl: 'data:image/svg+xml,<svg/>' } })).toThrow('branding.faviconUrl: must be an https URL');
    expect(() => parseConfig({ branding: { helpUrl: 'javascript:alert(1)' } })).toThrow('branding.helpUrl: must be an https URL');
    expect(() => parseConfig({ branding: { timeZone: 'Mars/Olympus' } })).toThrow('branding.timeZone: "Mars/Olympus" is not an IANA time zone');
    expect(() => parseConfig({ branding: { logo: '/x.svg' } })).toThrow('branding.logo: is not a known branding field');
  });
});
