import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import type { DirectoryUser, UserDirectory } from '../src/directory/UserDirectory.js';
import { useDeployment } from './support/deployment.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { redeem, refreshError, signIn } from './support/rp.js';
import { silentAuthorization } from './support/silentAuthorization.js';
import { tapPlugin } from '../src/tapPlugin.js';
import { TEST_CLIENT, testConfig, testSecrets, type TestServer } from './support/testServer.js';

const SECRET = 'app-secret-0123456789-0123456789';
const PERMISSIONS = ['UserAuthMethod-TAP.ReadWrite.All', 'User.ReadWrite.All'];

/** A host application's user store, as small as the contract allows: the two lookups, nothing else. */
class HostDirectory implements UserDirectory {
  readonly users = new Map<string, DirectoryUser>();
  add(user: DirectoryUser): void {
    this.users.set(user.id, user);
  }
  findById(id: string): Promise<DirectoryUser | undefined> {
    return Promise.resolve(this.users.get(id));
  }
  findByUpn(upn: string): Promise<DirectoryUser | undefined> {
    return Promise.resolve([...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase()));
  }
}

const host = new HostDirectory();
host.add({ id: 'host-42', userPrincipalName: 'ann@host.example', displayName: 'Ann Host', claims: { email: 'ann.host@mail.example', given_name: 'Ann', sub: 'not-this' } });
host.add({ id: 'host-43', userPrincipalName: 'bob@host.example', displayName: 'Bob Host' });
host.add({ id: 'host-44', userPrincipalName: 'cat@host.example', displayName: 'Cat Host', mail: 'cat@mail.example', jobTitle: 'Vet', roles: ['GlobalReader'], groups: ['vets'] });

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    // An application issues the TAPs here, also to cat, a GlobalReader: the two-person rule is a person's, so off.
    config: () => testConfig({ users: [], clients: [TEST_CLIENT, apiClient('host-app', SECRET, PERMISSIONS)], options: { tapApprovalForAdmins: false } }),
    directory: () => host,
  },
  (d) => ({ server, rp } = d),
);

const token = () => appToken(server.url, 'host-app', SECRET, PERMISSIONS.join(' '));
const tapPath = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;

/** A TAP issued through the admin API, to a user only the host directory knows. */
async function issueTap(upn: string): Promise<string> {
  const created = await graph(server.url, await token(), 'POST', tapPath(upn), { lifetimeInMinutes: 60, isUsableOnce: false });
  expect(created.status).toBe(201);
  return created.body.temporaryAccessPass as string;
}

/** The users' records and credentials in Redis: the Redis directory's keys, TAPs, passkeys, session indexes. */
async function userState(): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const pattern of ['user:*', 'upn:*', 'users', 'group*', 'tap:*', 'pk:*', 'idx:*']) {
    for (const key of await server.redis.keys(pattern)) {
      const type = await server.redis.type(key);
      state[key] = type === 'string' ? ((await server.redis.get(key)) ?? '') : type === 'hash' ? JSON.stringify(await server.redis.hgetall(key)) : JSON.stringify((await server.redis.smembers(key)).sort());
    }
  }
  return state;
}

async function tapSignIn(upn: string) {
  const tap = await issueTap(upn);
  const flow = await signIn(rp, upn, { tap });
  return { tap, browser: flow.browser, tokens: await redeem(rp, flow) };
}

describe('a host application’s directory', () => {
  it('signs a host user in with a TAP: the ID token’s sub is the host’s id, and userinfo gives the host’s claims but never its sub', async () => {
    const { tokens } = await tapSignIn('ann@host.example');
    expect(tokens.claims()!.sub).toBe('host-42');
    // The scopes' claims are userinfo's (oidc-provider puts them in the ID token only when no access token is issued).
    const info = await client.fetchUserInfo(rp, tokens.access_token, 'host-42');
    expect(info).toMatchObject({ sub: 'host-42', email: 'ann.host@mail.example', given_name: 'Ann', name: 'Ann Host', preferred_username: 'ann@host.example' });
  });

  it('answers POST, PATCH, DELETE /users and GET /users with 405 when the directory cannot, and changes nothing', async () => {
    const t = await token();
    await issueTap('bob@host.example');
    const before = await userState();
    expect(Object.keys(before).some((k) => k.startsWith('tap:'))).toBe(true);
    const refusals = [
      await graph(server.url, t, 'POST', '/users', { userPrincipalName: 'new@host.example', displayName: 'New' }),
      await graph(server.url, t, 'PATCH', '/users/bob@host.example', { displayName: 'Changed' }),
      await graph(server.url, t, 'DELETE', '/users/host-43'),
      await graph(server.url, t, 'GET', '/users'),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(405);
      expect(r.body.error?.code).toBe('Request_BadRequest');
      expect(r.body.error?.message).toMatch(/directory/);
    }
    expect(refusals[0]!.headers.get('allow')).toBe('');
    expect(refusals[1]!.headers.get('allow')).toBe('GET');
    expect(await userState()).toEqual(before);
    expect(host.users.get('host-43')).toEqual({ id: 'host-43', userPrincipalName: 'bob@host.example', displayName: 'Bob Host' });
    expect(host.users.has('new@host.example')).toBe(false);
    // Reading one user needs only the lookups.
    const one = await graph(server.url, t, 'GET', '/users/host-43');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'host-43', userPrincipalName: 'bob@host.example', userType: 'Member', accountEnabled: true, mail: null });
    // A host's optional profile fields, roles and groups are shown as Graph shows them.
    const cat = await graph(server.url, t, 'GET', '/users/cat@host.example');
    expect(cat.body).toMatchObject({ mail: 'cat@mail.example', jobTitle: 'Vet', givenName: null });
    const memberOf = await graph(server.url, t, 'GET', '/users/host-44/memberOf');
    expect(memberOf.body.value!.map((o) => [o['@odata.type'], o.displayName])).toEqual([['#microsoft.graph.directoryRole', 'Global Reader'], ['#microsoft.graph.group', 'vets']]);
  });

  it('refuses the sign-in of a user the host directory no longer knows, and ends their refresh token and single sign-on', async () => {
    const signed = await tapSignIn('cat@host.example');
    expect((await silentAuthorization(rp, signed.browser)).get('code')).toBeTruthy();
    host.users.delete('host-44');

    // Single sign-on first: a failed refresh must not be what ends the session.
    const silent = await silentAuthorization(rp, signed.browser);
    expect(silent.get('error')).toBe('login_required');
    expect(silent.get('code')).toBeNull();
    expect(await refreshError(rp, signed.tokens.refresh_token!)).toBe('invalid_grant');
    // The TAP is still in Redis and still good, but its user is nobody now.
    const again = await signIn(rp, 'cat@host.example', { tap: signed.tap });
    expect(again.callback).toBeUndefined();
  });

  it('refuses the config file’s users at start: they can be imported only into the Redis directory', async () => {
    const plugin = tapPlugin({ issuer: server.url, redis: server.redis, config: testConfig(), secrets: await testSecrets(), directory: host, logger: { info() {}, warn() {}, error() {} } });
    await expect(plugin.importConfig()).rejects.toThrow(/^users: .*only into the built-in Redis directory/);
    expect(await server.redis.keys('user:*')).toEqual([]);
    await plugin.close();
  });
});
