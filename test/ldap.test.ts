import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, appToken, graph } from './support/graph.js';
import { startTestRedis } from './support/redis.js';
import { redeem, refreshError, relyingParty, signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { LDAP_ROOT_DN, LDAP_ROOT_PASSWORD, LDAP_SUFFIX, startSlapd, type TestSlapd } from './support/slapd.js';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI, startTestServer, TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';

const SECRET = 'ldap-test-app-secret-0123456789';
/** Short, so that the tests see LDAP's changes without waiting long; the cache's purpose is shown all the same. */
const TTL_SECONDS = 2;
const people = `ou=people,${LDAP_SUFFIX}`;
const admins = `cn=admins,ou=groups,${LDAP_SUFFIX}`;

const person = (uid: string, name: string, extra = '') => `dn: uid=${uid},${people}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${name}
sn: ${name}
displayName: ${name}
mail: ${uid}@contoso.test
${extra}`;

const TREE = [
  `dn: ${LDAP_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: contoso\no: Contoso\n`,
  `dn: ${people}\nobjectClass: organizationalUnit\nou: people\n`,
  `dn: ou=groups,${LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n`,
  person('alice', 'Alice Example', 'givenName: Alice\ntitle: Engineer\ndepartmentNumber: R&D\nemployeeNumber: 1001\n'),
  person('carol', 'Carol Leaver'),
  person('dana', 'Dana Outage'),
  // slapadd writes no memberOf (the overlay runs in slapd only): the tree states it as slapd would have.
  person('bob', 'Bob Admin', `memberOf: ${admins}\n`),
  `dn: ${admins}\nobjectClass: groupOfNames\ncn: admins\nmember: uid=bob,${people}\n`,
].join('\n');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pastTtl = () => sleep(TTL_SECONDS * 1000 + 200);

let slapd: TestSlapd;
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let server: TestServer;
let rp: client.Configuration;

beforeAll(async () => {
  [slapd, redis] = await Promise.all([startSlapd(TREE), startTestRedis()]);
  const config = testConfig({
    users: [],
    // The HR application issues TAPs to bob, a Global Administrator, and he signs in with them: the two-person
    // rule (test/admin.test.ts) is not what these tests are about.
    options: { tapApprovalForAdmins: false },
    clients: [TEST_CLIENT, apiClient('hr', SECRET, ['UserAuthMethod-TAP.ReadWrite.All', 'User.ReadWrite.All'])],
    directory: {
      type: 'ldap',
      url: slapd.url,
      bindDN: LDAP_ROOT_DN,
      bindPassword: LDAP_ROOT_PASSWORD,
      searchBase: people,
      roles: { admins: 'GlobalAdministrator' },
      cacheTtlSeconds: TTL_SECONDS,
      timeoutMs: 1000,
    },
  });
  server = await startTestServer(redis.url, { config, host: 'localhost' });
  rp = await relyingParty(server.url);
}, 30_000);

afterAll(async () => {
  await server?.close();
  await Promise.all([slapd?.destroy(), redis?.stop()]);
});

const hr = () => appToken(server.url, 'hr', SECRET, 'UserAuthMethod-TAP.ReadWrite.All User.ReadWrite.All');
const tapPath = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;

/** A TAP from the admin API, as HR would issue it; multi-use ones let a test sign in twice without a passkey. */
async function issueTap(upn: string, isUsableOnce = true): Promise<string> {
  const r = await graph(server.url, await hr(), 'POST', tapPath(upn), { isUsableOnce });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.temporaryAccessPass as string;
}

async function entryUuid(uid: string): Promise<string> {
  const admin = await slapd.admin();
  const { searchEntries } = await admin.search(`uid=${uid},${people}`, { scope: 'base', attributes: ['entryUUID'] });
  return String(searchEntries[0]!.entryUUID);
}

describe('LDAP directory (a real slapd)', () => {
  it('an LDAP user gets a TAP from the admin API, signs in with it and registers a passkey; the ID token\'s sub is their entryUUID', async () => {
    const passcode = await issueTap('alice@contoso.test');
    const s = await tapToPasskey(rp, 'alice@contoso.test', passcode);
    expect(s.done.url.startsWith(REDIRECT_URI)).toBe(true);
    const tokens = await redeem(rp, { ...s, callback: s.done.url });
    const id = await entryUuid('alice');
    expect(tokens.claims()!.sub).toBe(id);
    expect((await client.fetchUserInfo(rp, tokens.access_token, id)).name).toBe('Alice Example');
    expect(await server.plugin.passkeys.count(id)).toBe(1);
  });

  it('takes roles from LDAP groups (a member of the group mapped to GlobalAdministrator is one) and lists the users of LDAP in the admin API', async () => {
    const bob = await server.plugin.directory.findByUpn('BOB@contoso.test');
    expect(bob?.roles).toEqual(['GlobalAdministrator']);
    expect(bob?.groups).toEqual(['admins']);
    expect((await server.plugin.directory.findByUpn('alice@contoso.test'))?.roles).toEqual([]);
    const listed = await graph(server.url, await hr(), 'GET', '/users');
    expect(listed.status).toBe(200);
    expect(listed.body.value!.map((u) => u.userPrincipalName).sort()).toEqual(['alice@contoso.test', 'bob@contoso.test', 'carol@contoso.test', 'dana@contoso.test']);
  });

  it('maps LDAP attributes to Graph\'s user properties and the groups and roles to memberOf', async () => {
    const alice = await graph(server.url, await hr(), 'GET', '/users/alice@contoso.test');
    expect(alice.body).toMatchObject({ mail: 'alice@contoso.test', givenName: 'Alice', surname: 'Alice Example', jobTitle: 'Engineer', department: 'R&D', employeeId: '1001', accountEnabled: true });
    const carol = await graph(server.url, await hr(), 'GET', '/users/carol@contoso.test');
    expect(carol.body).toMatchObject({ givenName: null, jobTitle: null, employeeId: null });
    const bob = await graph(server.url, await hr(), 'GET', '/users/bob@contoso.test/memberOf');
    expect(bob.body.value).toEqual([
      expect.objectContaining({ '@odata.type': '#microsoft.graph.directoryRole', displayName: 'Global Administrator', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10' }),
      expect.objectContaining({ '@odata.type': '#microsoft.graph.group', displayName: 'admins' }),
    ]);
  });

  it('takes a typed name as a value, never as a filter: wildcards and parentheses match nobody', async () => {
    for (const name of ['*', 'al*@contoso.test', '*)(uid=*', 'alice@contoso.test)(|(mail=*']) {
      expect(await server.plugin.directory.findByUpn(name), name).toBeUndefined();
    }
    expect(await server.plugin.directory.findById('*')).toBeUndefined();
  });

  it('costs slapd at most one search per sign-in, and refuses to be written through the admin API', async () => {
    await pastTtl();
    const passcode = await issueTap('bob@contoso.test', false);
    await pastTtl();
    const before = slapd.searches();
    const flow = await signIn(rp, 'bob@contoso.test', { tap: passcode });
    expect(flow.callback).toBeDefined();
    await redeem(rp, flow);
    // The cache was cold (past its lifetime): one search, not one per page, per lookup or for the token.
    expect(slapd.searches() - before).toBe(1);
    const r = await graph(server.url, await hr(), 'POST', '/users', { userPrincipalName: 'new@contoso.test', displayName: 'New' });
    // LDAP is read-only: it has no `create`, so the admin API answers as for any directory without it.
    expect(r.status).toBe(405);
    expect(r.body.error?.code).toBe('Request_BadRequest');
  });

  it('a user added to LDAP after start is unknown until the cache has expired, then gets a TAP and signs in', async () => {
    const a = await startAuthorization(rp);
    const before = await submitIdentifier(a, 'erin@contoso.test');
    expect(before.res.status).toBe(200);
    expect((await graph(server.url, await hr(), 'POST', tapPath('erin@contoso.test'), {})).status).toBe(404);
    const admin = await slapd.admin();
    await admin.add(`uid=erin,${people}`, { objectClass: 'inetOrgPerson', uid: 'erin', cn: 'Erin New', sn: 'New', displayName: 'Erin New', mail: 'erin@contoso.test' });
    await pastTtl();
    const passcode = await issueTap('erin@contoso.test', false);
    const flow = await signIn(rp, 'erin@contoso.test', { tap: passcode });
    expect(flow.callback).toBeDefined();
    const tokens = await redeem(rp, flow);
    expect(tokens.claims()!.sub).toBe(await entryUuid('erin'));
  });

  it('a user removed from LDAP is refused as unknown; their refresh token and their browser session end at their next use', async () => {
    const passcode = await issueTap('carol@contoso.test', false);
    const flow = await signIn(rp, 'carol@contoso.test', { tap: passcode });
    const tokens = await redeem(rp, flow);
    expect(tokens.refresh_token).toBeDefined();
    const admin = await slapd.admin();
    await admin.del(`uid=carol,${people}`);
    await pastTtl();
    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    // Her browser's sign-in session no longer signs her in silently.
    const silent = await flow.browser.follow(flow.authorizationUrl);
    expect(silent.res.status).toBe(200);
    expect(new URL(silent.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
    expect(silent.html).toContain('name="username"');
    // The TAP is still in Redis, under her id; her name no longer leads to it.
    const again = await signIn(rp, 'carol@contoso.test', { tap: passcode });
    expect(again.callback).toBeUndefined();
    expect((await graph(server.url, await hr(), 'POST', tapPath('carol@contoso.test'), {})).status).toBe(404);
  });

  it('while LDAP is down the pages, the admin API and the token endpoint answer 503 with Retry-After; after it is back nothing is lost', async () => {
    const passcode = await issueTap('dana@contoso.test', false);
    const first = await signIn(rp, 'dana@contoso.test', { tap: passcode });
    const tokens = await redeem(rp, first);
    await slapd.stop();
    try {
      await pastTtl();
      const a = await startAuthorization(rp);
      const page = await submitIdentifier(a, 'dana@contoso.test');
      expect(page.res.status).toBe(503);
      expect(page.res.headers.get('retry-after')).toBe('1');
      const api = await graph(server.url, await hr(), 'GET', tapPath('dana@contoso.test'));
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBe('1');
      const token = await fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${TEST_CLIENT.client_secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
      });
      expect(token.status).toBe(503);
      expect(token.headers.get('retry-after')).toBe('1');
      expect((await token.json()).error).toBe('temporarily_unavailable');
    } finally {
      await slapd.start();
    }
    expect(await refreshError(rp, tokens.refresh_token!)).toBeUndefined();
    const again = await signIn(rp, 'dana@contoso.test', { tap: passcode });
    expect(again.callback).toBeDefined();
    // One line when the outage began and one when it ended, not one per request.
    expect(server.logs.filter((l) => l.includes('"ldap.unavailable"'))).toHaveLength(1);
    expect(server.logs.filter((l) => l.includes('"ldap.available"'))).toHaveLength(1);
  });
});
