import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/parseConfig.js';
import { ConfigError } from '../src/errors.js';
import { useDeployment } from './support/deployment.js';
import { apiClient, appToken, graph, type GraphResponse } from './support/graph.js';
import { issueTap } from './support/issueTap.js';
import { TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';

/**
 * The admin API as a Graph script queries it: `$filter`, `$orderby`, `$count`, `$search`, `$select`, `$expand`,
 * `@odata.context`, Graph's error codes, Graph-shaped users with memberOf, and CORS for configured origins.
 */
const SECRET = 'query-app-secret-0123456789';
const ALL = ['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod', 'User.ReadWrite.All', 'AuditLog.Read.All'];
const ADMIN_TOOL = 'https://admin.contoso.test';

let server: TestServer;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, apiClient('query-app', SECRET, ALL)],
        users: [
          ...TEST_USERS,
          { userPrincipalName: 'zed@contoso.com', displayName: 'Zed Zimmer', mail: 'zed@mail.contoso.com', givenName: 'Zed', surname: 'Zimmer', jobTitle: 'Buyer', department: 'Sales', employeeId: 'E-7' },
        ],
        options: { adminApiCorsOrigins: [ADMIN_TOOL] },
      }),
  },
  (d) => ({ server } = d),
);

const token = () => appToken(server.url, 'query-app', SECRET, ALL.join(' '));
const get = async (path: string, headers: Record<string, string> = {}) => graph(server.url, await token(), 'GET', path, undefined, headers);
const EVENTUAL = { ConsistencyLevel: 'eventual' };
const q = (s: string) => encodeURIComponent(s);
const upns = (r: GraphResponse) => r.body.value!.map((u) => u.userPrincipalName);

function expectError(r: GraphResponse, status: number, code: string, message?: string) {
  expect(r.status).toBe(status);
  expect(r.body.error?.code).toBe(code);
  if (message) expect(r.body.error?.message).toContain(message);
}

describe('users in Graph\'s shape', () => {
  it('stores, returns, changes and clears the profile fields, seeded from the config or given on POST and PATCH', async () => {
    const zed = await get('/users/zed@contoso.com');
    expect(zed.body).toMatchObject({ mail: 'zed@mail.contoso.com', givenName: 'Zed', surname: 'Zimmer', jobTitle: 'Buyer', department: 'Sales', employeeId: 'E-7', accountEnabled: true });
    expect(zed.body).not.toHaveProperty('roles');
    expect(zed.body).not.toHaveProperty('groups');

    const t = await token();
    const created = await graph(server.url, t, 'POST', '/users', {
      accountEnabled: false,
      displayName: 'Quinn Query',
      userPrincipalName: 'quinn@contoso.com',
      mail: 'quinn@contoso.com',
      givenName: 'Quinn',
      jobTitle: 'Analyst',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ '@odata.context': `${server.url}/v1.0/$metadata#users/$entity`, accountEnabled: false, mail: 'quinn@contoso.com', givenName: 'Quinn', surname: null, jobTitle: 'Analyst' });
    expect((await graph(server.url, t, 'PATCH', '/users/quinn@contoso.com', { jobTitle: null, surname: 'Query', accountEnabled: true })).status).toBe(204);
    expect((await get('/users/quinn@contoso.com')).body).toMatchObject({ jobTitle: null, surname: 'Query', accountEnabled: true, givenName: 'Quinn' });
    expectError(await graph(server.url, t, 'PATCH', '/users/quinn@contoso.com', { mail: 'not a mail' }), 400, 'Request_BadRequest');
  });

  it('lists roles and groups at /users/{id}/memberOf as directoryRole and group objects, and by $expand=memberOf', async () => {
    const admin = await get('/users/admin@contoso.com/memberOf');
    expect(admin.body['@odata.context']).toBe(`${server.url}/v1.0/$metadata#directoryObjects`);
    expect(admin.body.value).toEqual([
      { '@odata.type': '#microsoft.graph.directoryRole', id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', description: null },
    ]);
    const jdoe = await get('/users/jdoe@contoso.com/memberOf?$count=true', EVENTUAL);
    expect(jdoe.body).toMatchObject({ '@odata.count': 1, value: [{ '@odata.type': '#microsoft.graph.group', displayName: 'new-hires' }] });
    const expanded = await get('/users/jdoe@contoso.com?$expand=memberOf&$select=displayName');
    expect(expanded.body).toEqual({
      '@odata.context': `${server.url}/v1.0/$metadata#users(displayName)/$entity`,
      displayName: 'Jane Doe',
      memberOf: [expect.objectContaining({ displayName: 'new-hires' })],
    });
    expectError(await get('/users/jdoe@contoso.com?$expand=manager'), 400, 'Request_BadRequest', "Could not find a property named 'manager' on type 'microsoft.graph.user'.");
  });
});

describe('$filter, $orderby, $count, $search and $skip on users', () => {
  it('filters with eq, in, startswith, and/or, on mail, accountEnabled and userType as well', async () => {
    expect(upns(await get(`/users?$filter=${q("mail eq 'ZED@mail.contoso.com'")}`))).toEqual(['zed@contoso.com']);
    expect(upns(await get(`/users?$filter=${q("userPrincipalName in ('jdoe@contoso.com', 'pat@contoso.com', 'nobody@contoso.com')")}`))).toEqual(['jdoe@contoso.com', 'pat@contoso.com']);
    expect(upns(await get(`/users?$filter=${q("userType eq 'Guest' and (startswith(displayName, 'ext') or startswith(displayName, 'int'))")}`))).toEqual(['ext@partner.com', 'int@contoso.com']);
    await graph(server.url, await token(), 'PATCH', '/users/contractor@contoso.com', { accountEnabled: false });
    expect(upns(await get(`/users?$filter=${q('accountEnabled eq false')}`))).toContain('contractor@contoso.com');
    expect(upns(await get(`/users?$filter=${q('accountEnabled eq false')}`))).not.toContain('jdoe@contoso.com');
  });

  it('needs an advanced query (ConsistencyLevel: eventual and $count=true) for endsWith, ne and not, as Graph', async () => {
    const endsWith = `$filter=${q("endswith(userPrincipalName, '@partner.com')")}`;
    expectError(await get(`/users?${endsWith}`), 400, 'Request_UnsupportedQuery', "Operator 'endsWith' is not supported because the required parameters might be missing.");
    expectError(await get(`/users?${endsWith}`, EVENTUAL), 400, 'Request_UnsupportedQuery');
    const advanced = await get(`/users?${endsWith}&$count=true`, EVENTUAL);
    expect(advanced.body).toMatchObject({ '@odata.count': 1, value: [{ userPrincipalName: 'ext@partner.com' }] });
    expectError(await get(`/users?$filter=${q("userType ne 'Member'")}`), 400, 'Request_UnsupportedQuery', "Operator 'ne'");
    expect(upns(await get(`/users?$filter=${q("userType ne 'Member'")}&$count=true`, EVENTUAL))).toEqual(['ext@partner.com', 'int@contoso.com']);
    expectError(await get(`/users?$filter=${q("endswith(displayName, 'Doe')")}&$count=true`, EVENTUAL), 400, 'Request_UnsupportedQuery', "property 'displayName' of resource 'User'");
    expectError(await get(`/users?$filter=${q("colour eq 'x'")}`), 400, 'Request_BadRequest', "the property 'colour' is not supported on User");
  });

  it('gives @odata.count only with ConsistencyLevel: eventual, and ignores $count without it, as Graph', async () => {
    const all = (await server.plugin.directory.list()).length;
    const counted = await get('/users?$count=true&$top=2', EVENTUAL);
    expect(counted.body['@odata.count']).toBe(all);
    expect(counted.body.value).toHaveLength(2);
    const ignored = await get('/users?$count=true&$top=2');
    expect(ignored.status).toBe(200);
    expect(ignored.body).not.toHaveProperty('@odata.count');
  });

  it('orders by displayName or userPrincipalName, either way, across pages; anything else is refused as Graph does', async () => {
    const names: string[] = [];
    let r = await get('/users?$orderby=displayName%20desc&$top=3&$select=displayName');
    expect(r.body['@odata.context']).toBe(`${server.url}/v1.0/$metadata#users(displayName)`);
    for (;;) {
      names.push(...r.body.value!.map((u) => String(u.displayName)));
      const next = r.body['@odata.nextLink'] as string | undefined;
      if (!next) break;
      expect(next).toContain('$orderby=displayName%20desc');
      r = await get(next.slice(`${server.url}/v1.0`.length));
    }
    const expected = (await server.plugin.directory.list()).map((u) => u.displayName).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : -1));
    expect(names).toEqual(expected);
    expectError(await get('/users?$orderby=jobTitle'), 400, 'Request_UnsupportedQuery', "Unsupported sort property 'jobTitle'");
    expectError(await get('/users?$orderby=createdDateTime'), 400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
    expectError(await get(`/users?$orderby=displayName&$filter=${q("userType eq 'Guest'")}`), 400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
    expect(upns(await get(`/users?$orderby=displayName&$filter=${q("userType eq 'Guest'")}&$count=true`, EVENTUAL))).toEqual(['ext@partner.com', 'int@contoso.com']);
  });

  it('searches "displayName:words" with ConsistencyLevel: eventual, refuses $search without it, and refuses $skip with Graph\'s error', async () => {
    expect(upns(await get(`/users?$search=${q('"displayName:jane"')}`, EVENTUAL))).toEqual(['jdoe@contoso.com']);
    expect(upns(await get(`/users?$search=${q('"displayName:zim" OR "mail:pat"')}`, EVENTUAL))).toEqual(['zed@contoso.com']);
    expectError(await get(`/users?$search=${q('"displayName:jane"')}`), 400, 'Request_UnsupportedQuery', "only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    expectError(await get('/users?$skip=2'), 400, 'Request_BadRequest', "'$skip' is not supported by the service.");
  });
});

describe('$select and @odata.context on every path', () => {
  it('adds @odata.context to every answer and applies $select, with Graph\'s error for a property the type lacks', async () => {
    const user = await server.plugin.directory.findByUpn('jdoe@contoso.com');
    await issueTap(server, user!, { lifetimeInMinutes: 60 });
    const base = `${server.url}/v1.0/$metadata#`;
    const taps = await get(`/users/${user!.id}/authentication/temporaryAccessPassMethods?$select=id,isUsable`);
    expect(taps.body['@odata.context']).toBe(`${base}users('${user!.id}')/authentication/temporaryAccessPassMethods(id,isUsable)`);
    expect(taps.body.value).toEqual([{ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id: expect.any(String), isUsable: true }]);
    const one = await get(`/users/${user!.id}/authentication/temporaryAccessPassMethods/${String(taps.body.value![0]!.id)}`);
    expect(one.body['@odata.context']).toBe(`${base}users('${user!.id}')/authentication/temporaryAccessPassMethods/$entity`);
    const methods = await get(`/users/${user!.id}/authentication/methods?$select=id`);
    expect(methods.body['@odata.context']).toBe(`${base}users('${user!.id}')/authentication/methods(id)`);
    expect((await get(`/users/${user!.id}/authentication/fido2Methods`)).body).toEqual({ '@odata.context': `${base}users('${user!.id}')/authentication/fido2Methods`, value: [] });
    const byId = await get(`/users/${user!.id}?$select=id,MAIL`);
    expect(byId.body).toEqual({ '@odata.context': `${base}users(id,mail)/$entity`, id: user!.id, mail: null });
    const policy = await get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass?$select=state');
    expect(policy.body).toEqual({ '@odata.context': `${base}policies/authenticationMethodsPolicy/authenticationMethodConfigurations(state)/$entity`, '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration', state: 'enabled' });
    const audits = await get('/auditLogs/directoryAudits?$select=activityDisplayName,initiatedBy&$top=1&$orderby=activityDateTime%20desc');
    expect(audits.body['@odata.context']).toBe(`${base}auditLogs/directoryAudits(activityDisplayName,initiatedBy)`);
    expect(Object.keys(audits.body.value![0]!)).toEqual(['activityDisplayName', 'initiatedBy']);
    expect((await get('/auditLogs/signIns?$top=1')).body['@odata.context']).toBe(`${base}auditLogs/signIns`);

    expectError(await get('/users?$select=colour'), 400, 'Request_BadRequest', "Could not find a property named 'colour' on type 'microsoft.graph.user'.");
    // Neither option reaches what the answers never show: the password hash is no property of the user here.
    expectError(await get('/users?$select=passwordHash'), 400, 'Request_BadRequest');
    expectError(await get(`/users?$filter=${q("startswith(passwordHash, 'scrypt')")}`), 400, 'Request_BadRequest');
    expectError(await get(`/users/${user!.id}/authentication/methods?$select=colour`), 400, 'BadRequest', "Could not find a property named 'colour' on type 'microsoft.graph.authenticationMethod'.");
    expectError(await get('/auditLogs/directoryAudits?$orderby=activityDateTime%20asc'), 400, 'BadRequest', 'activityDateTime desc');
    expectError(await get('/auditLogs/signIns?$orderby=createdDateTime'), 400, 'BadRequest', 'createdDateTime desc');
  });

  it('names the application that acted, with servicePrincipalName, in audit records', async () => {
    await graph(server.url, await token(), 'PATCH', '/users/pat@contoso.com', { jobTitle: 'Tester' });
    const [last] = (await get(`/auditLogs/directoryAudits?$top=1&$filter=${q("initiatedBy/app/servicePrincipalName eq 'query-app'")}`)).body.value!;
    expect(last).toMatchObject({ initiatedBy: { user: null, app: { appId: 'query-app', displayName: 'query-app', servicePrincipalName: 'query-app' } } });
  });

  it('answers errors with Graph\'s codes: 401 InvalidAuthenticationToken, 403 Authorization_RequestDenied, 404 Request_ResourceNotFound', async () => {
    expectError(await graph(server.url, undefined, 'GET', '/users'), 401, 'InvalidAuthenticationToken');
    const weak = await appToken(server.url, 'query-app', SECRET, 'AuditLog.Read.All');
    expectError(await graph(server.url, weak, 'GET', '/users'), 403, 'Authorization_RequestDenied');
    expectError(await get('/users/nobody@contoso.com'), 404, 'Request_ResourceNotFound');
    expectError(await get('/users/nobody@contoso.com/memberOf'), 404, 'Request_ResourceNotFound');
  });
});

describe('CORS on /v1.0', () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/v1.0/users`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, consistencylevel' } });

  it('answers the preflight of a configured origin, and marks its answers readable, without credentials', async () => {
    const pre = await preflight(ADMIN_TOOL);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ADMIN_TOOL);
    expect(pre.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, ConsistencyLevel');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const r = await get('/users?$top=1', { Origin: ADMIN_TOOL });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe(ADMIN_TOOL);
    expect(r.headers.get('access-control-expose-headers')).toContain('Location');
    expect(r.headers.get('vary')).toContain('Origin');
    expect(r.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives any other origin no CORS headers, so its browser keeps the answer from the page', async () => {
    const pre = await preflight('https://evil.example');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const r = await get('/users?$top=1', { Origin: 'https://evil.example' });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('vary')).toContain('Origin');
  });

  it('allows no origin by default, and refuses an origin with a path in the config', () => {
    expect(parseConfig({}).options.adminApiCorsOrigins).toEqual([]);
    expect(() => parseConfig({ options: { adminApiCorsOrigins: ['https://admin.contoso.test/app'] } })).toThrow(ConfigError);
  });
});
