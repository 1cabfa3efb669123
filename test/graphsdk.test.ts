import { Client, GraphError, PageIterator, type AuthenticationProvider, type PageCollection } from '@microsoft/microsoft-graph-client';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedToken } from './support/delegatedToken.js';
import { apiClient, appToken } from './support/graph.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { startTestRedis } from './support/redis.js';
import { relyingParty } from './support/rp.js';
import { startTlsTerminator } from './support/startTlsTerminator.js';
import { startProxiedServer, TEST_CLIENT, TEST_USERS, TestClock, testConfig } from './support/testServer.js';
import { connectRedis } from '../src/store/connectRedis.js';

/**
 * The Microsoft Graph JS SDK (@microsoft/microsoft-graph-client 3.x), unchanged, through every admin endpoint: its
 * own request builder ($select, $filter, $orderby, $count with ConsistencyLevel), its PageIterator over
 * @odata.nextLink, and its GraphError from our error envelope. The SDK sends a token only over https, so the
 * provider sits behind a local TLS terminator, as in a deployment.
 */
const SECRET = 'sdk-app-secret-0123456789';
const ALL = ['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod', 'User.ReadWrite.All', 'AuditLog.Read.All'];

let graph: Client;
let issuer: string;
let redisUrl: string;
const stops: (() => Promise<void>)[] = [];
let previous: Dispatcher;

beforeAll(async () => {
  const redis = await startTestRedis();
  stops.push(() => redis.stop());
  redisUrl = redis.url;
  const tls = await startTlsTerminator();
  stops.unshift(() => tls.close());
  issuer = tls.url;
  const config = testConfig({ clients: [TEST_CLIENT, apiClient('sdk-app', SECRET, ALL)], users: [...TEST_USERS, { userPrincipalName: 'sam@contoso.com', displayName: 'Sam Sdk', mail: 'sam@contoso.com' }] });
  const backend = await startProxiedServer(redis.url, issuer, new TestClock(), config);
  stops.unshift(() => backend.close());
  tls.forwardTo(backend.url);
  // This file's fetches (the SDK's and openid-client's) trust the terminator's certificate.
  previous = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ connect: { ca: tls.ca } }));
  const token = await appToken(issuer, 'sdk-app', SECRET, ALL.join(' '));
  const authProvider: AuthenticationProvider = { getAccessToken: () => Promise.resolve(token) };
  graph = Client.initWithMiddleware({ authProvider, baseUrl: issuer, defaultVersion: 'v1.0', customHosts: new Set([new URL(issuer).hostname]) });
});

afterAll(async () => {
  if (previous) setGlobalDispatcher(previous);
  for (const stop of stops) await stop();
});

/** Every item of a collection, page after page, with the SDK's PageIterator (which follows @odata.nextLink). */
async function everyItem(first: PageCollection, headers: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const it = new PageIterator(graph, first, (item: Record<string, unknown>) => {
    items.push(item);
    return true;
  }, { headers });
  await it.iterate();
  return items;
}

describe('the Microsoft Graph JS SDK against the admin API', () => {
  it('manages users: create, list with $filter/$orderby/$count/$select and PageIterator, get, memberOf, update, delete', async () => {
    const created = (await graph.api('/users').post({ accountEnabled: true, displayName: 'Nina New', userPrincipalName: 'nina@contoso.com', mailNickname: 'nina', mail: 'nina@contoso.com', passwordProfile: { password: 'nina first password 1' } })) as Record<string, string>;
    expect(created).toMatchObject({ userPrincipalName: 'nina@contoso.com', mail: 'nina@contoso.com', accountEnabled: true });

    const first = (await graph.api('/users').header('ConsistencyLevel', 'eventual').select(['displayName', 'userPrincipalName']).orderby('displayName desc').count(true).top(2).get()) as PageCollection;
    expect(first['@odata.count']).toBe(TEST_USERS.length + 2);
    expect(first['@odata.nextLink']).toBeDefined();
    const all = await everyItem(first, { ConsistencyLevel: 'eventual' });
    expect(all).toHaveLength(TEST_USERS.length + 2);
    expect(Object.keys(all[0]!).sort()).toEqual(['displayName', 'userPrincipalName']);
    const names = all.map((u) => String(u.displayName).toLowerCase());
    expect(names).toEqual([...names].sort().reverse());

    const filtered = (await graph.api('/users').header('ConsistencyLevel', 'eventual').filter("endswith(mail, '@contoso.com') and accountEnabled eq true").count(true).orderby('userPrincipalName').get()) as PageCollection;
    expect(filtered.value.map((u: { userPrincipalName: string }) => u.userPrincipalName)).toEqual(['nina@contoso.com', 'sam@contoso.com']);
    const startsWith = (await graph.api('/users').filter("startswith(displayName, 'Nina') or userPrincipalName in ('sam@contoso.com')").select('id').get()) as PageCollection;
    expect(startsWith.value).toHaveLength(2);

    const one = (await graph.api(`/users/${created.id}`).select('displayName,mail').get()) as Record<string, string>;
    expect(one).toEqual({ '@odata.context': `${issuer}/v1.0/$metadata#users(displayName,mail)/$entity`, displayName: 'Nina New', mail: 'nina@contoso.com' });
    await graph.api(`/users/${created.id}`).patch({ jobTitle: 'Engineer', groups: ['engineering'] });
    const memberOf = (await graph.api(`/users/${created.id}/memberOf`).header('ConsistencyLevel', 'eventual').count(true).get()) as PageCollection;
    expect(memberOf).toMatchObject({ '@odata.count': 1, value: [{ '@odata.type': '#microsoft.graph.group', displayName: 'engineering' }] });
    expect(((await graph.api('/users/nina@contoso.com').get()) as { jobTitle: string }).jobTitle).toBe('Engineer');

    await graph.api(`/users/${created.id}`).delete();
    const gone = await graph.api(`/users/${created.id}`).get().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(GraphError);
    expect(gone).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });

  it('issues, reads, unlocks and deletes a TAP; lists methods and passkeys, deletes a passkey, revokes sessions', async () => {
    const base = '/users/sam@contoso.com/authentication';
    const tap = (await graph.api(`${base}/temporaryAccessPassMethods`).post({ lifetimeInMinutes: 60, isUsableOnce: false })) as Record<string, string>;
    expect(tap.temporaryAccessPass).toMatch(/^[A-Za-z0-9]{8}$/);
    const taps = (await graph.api(`${base}/temporaryAccessPassMethods`).select('id,isUsable').get()) as PageCollection;
    expect(taps.value).toEqual([{ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id: tap.id, isUsable: true }]);
    expect(((await graph.api(`${base}/temporaryAccessPassMethods/${tap.id}`).get()) as { temporaryAccessPass: null }).temporaryAccessPass).toBeNull();
    expect(((await graph.api(`${base}/temporaryAccessPassMethods/${tap.id}/unlock`).post({})) as { id: string }).id).toBe(tap.id);

    const redis = connectRedis(redisUrl);
    const sam = (await graph.api('/users/sam@contoso.com').select('id').get()) as { id: string };
    const passkey = await seedPasskey(redis, sam.id);
    redis.disconnect();
    const methods = (await graph.api(`${base}/methods`).select('id').get()) as PageCollection;
    expect(methods.value.map((m: Record<string, string>) => m['@odata.type']).sort()).toEqual(['#microsoft.graph.fido2AuthenticationMethod', '#microsoft.graph.temporaryAccessPassAuthenticationMethod']);
    const fido2 = (await graph.api(`${base}/fido2Methods`).select(['id', 'displayName']).get()) as PageCollection;
    expect(fido2.value).toEqual([{ '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: passkey.id, displayName: 'Seeded passkey' }]);
    expect(((await graph.api(`${base}/fido2Methods/${encodeURIComponent(passkey.id)}`).get()) as { id: string }).id).toBe(passkey.id);
    await graph.api(`${base}/fido2Methods/${encodeURIComponent(passkey.id)}`).delete();
    await graph.api(`${base}/temporaryAccessPassMethods/${tap.id}`).delete();
    expect(((await graph.api(`${base}/methods`).get()) as PageCollection).value).toEqual([]);
    const missing = await graph.api(`${base}/temporaryAccessPassMethods/${tap.id}`).get().catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: 'itemNotFound' });

    expect(((await graph.api('/users/sam@contoso.com/revokeSignInSessions').post({})) as { value: boolean }).value).toBe(true);
  });

  it('lets a signed-in user read and delete their own methods at /me with a delegated token', async () => {
    const token = await delegatedToken(await relyingParty(issuer), 'pat@contoso.com', 'correct horse battery staple', 'UserAuthenticationMethod.ReadWrite');
    const me = Client.initWithMiddleware({ authProvider: { getAccessToken: () => Promise.resolve(token) }, baseUrl: issuer, defaultVersion: 'v1.0', customHosts: new Set([new URL(issuer).hostname]) });
    const pat = (await graph.api('/users/pat@contoso.com').select('id').get()) as { id: string };
    const tap = (await graph.api(`/users/${pat.id}/authentication/temporaryAccessPassMethods`).post({ lifetimeInMinutes: 60 })) as { id: string };
    const redis = connectRedis(redisUrl);
    const passkey = await seedPasskey(redis, pat.id);
    redis.disconnect();
    const methods = (await me.api('/me/authentication/methods').select('id').get()) as PageCollection;
    expect(methods['@odata.context']).toBe(`${issuer}/v1.0/$metadata#users('${pat.id}')/authentication/methods(id)`);
    expect(methods.value).toHaveLength(3);
    expect(((await me.api('/me/authentication/temporaryAccessPassMethods').get()) as PageCollection).value).toEqual([expect.objectContaining({ id: tap.id, temporaryAccessPass: null })]);
    expect(((await me.api('/me/authentication/fido2Methods').select('id').get()) as PageCollection).value).toEqual([{ '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: passkey.id }]);
    await me.api(`/me/authentication/fido2Methods/${encodeURIComponent(passkey.id)}`).delete();
    await me.api(`/me/authentication/temporaryAccessPassMethods/${tap.id}`).delete();
    expect(((await me.api('/me/authentication/methods').get()) as PageCollection).value.map((m: Record<string, string>) => m['@odata.type'])).toEqual(['#microsoft.graph.passwordAuthenticationMethod']);
  });

  it('reads, changes and resets the TAP policy', async () => {
    const path = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
    await graph.api(path).patch({ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration', defaultLifetimeInMinutes: 90 });
    expect(await graph.api(path).select('defaultLifetimeInMinutes').get()).toMatchObject({ defaultLifetimeInMinutes: 90 });
    await graph.api(path).delete();
    expect(await graph.api(path).select(['state']).get()).toMatchObject({ state: 'disabled' });
  });

  it('pages the audit logs with $filter, $orderby and $select through PageIterator', async () => {
    const first = (await graph.api('/auditLogs/directoryAudits').filter("initiatedBy/app/appId eq 'sdk-app'").orderby('activityDateTime desc').select('activityDisplayName,activityDateTime').top(2).get()) as PageCollection;
    const records = await everyItem(first);
    expect(records.length).toBeGreaterThan(4);
    const times = records.map((r) => String(r.activityDateTime));
    expect(times).toEqual([...times].sort().reverse());
    expect(Object.keys(records[0]!).sort()).toEqual(['activityDateTime', 'activityDisplayName']);
    const signIns = (await graph.api('/auditLogs/signIns').orderby('createdDateTime desc').top(5).get()) as PageCollection;
    expect(signIns['@odata.context']).toBe(`${issuer}/v1.0/$metadata#auditLogs/signIns`);
    const refused = await graph.api('/auditLogs/signIns').orderby('userPrincipalName').get().catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });
});
