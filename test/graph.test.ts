import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import { appToken, graph, apiClient } from './support/graph.js';
import { redeem, refreshError, signIn } from './support/rp.js';
import { TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';
import { delegatedToken } from './support/delegatedToken.js';
import { randomUUID } from 'node:crypto';
import { keys } from '../src/store/keys.js';

const SECRET = 'app-secret-0123456789-0123456789';
const app = (client_id: string, permissions: string[]) => apiClient(client_id, SECRET, permissions);
const ALL = ['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod', 'User.ReadWrite.All', 'AuditLog.Read.All'];

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, app('hr-app', ['UserAuthMethod-TAP.ReadWrite.All']), app('user-app', ['User.ReadWrite.All']), app('super-app', ALL)],
        users: [
          ...TEST_USERS,
          { userPrincipalName: 'authadmin@contoso.com', displayName: 'Auth Admin', roles: ['AuthenticationAdministrator'], password: 'auth admin password 1' },
          { userPrincipalName: 'member@contoso.com', displayName: 'Member' },
          { userPrincipalName: 'ga@contoso.com', displayName: 'Global Admin', roles: ['GlobalAdministrator'], password: 'global admin password 1' },
        ],
      }),
  },
  (d) => ({ server, rp } = d),
);

const tok = (id: string, scope: string) => appToken(server.url, id, SECRET, scope);
const call = (token: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  graph(server.url, token, method, path, body, headers);
const tapPath = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;

function expectGraphError(r: { status: number; body: { error?: { code: string; message: string } } }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.body.error?.code).toBe(code);
  expect(typeof r.body.error?.message).toBe('string');
  expect((r.body.error as unknown as { innerError: { 'request-id': string } }).innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

describe('the admin API: who may issue a TAP', () => {
  it('lets an HR application with UserAuthMethod-TAP.ReadWrite.All create a TAP, and refuses one without it in the Graph envelope', async () => {
    const hr = await tok('hr-app', 'UserAuthMethod-TAP.ReadWrite.All');
    const created = await call(hr, 'POST', tapPath('member@contoso.com'), { lifetimeInMinutes: 60, isUsableOnce: true });
    expect(created.status).toBe(201);
    expect(created.body['@odata.type']).toBe('#microsoft.graph.temporaryAccessPassAuthenticationMethod');
    expect(created.body.temporaryAccessPass).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(created.body).toMatchObject({ lifetimeInMinutes: 60, isUsableOnce: true, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
    expect(created.headers.get('location')).toContain(`/authentication/temporaryAccessPassMethods/${String(created.body.id)}`);

    const users = await tok('user-app', 'User.ReadWrite.All');
    expectGraphError(await call(users, 'POST', tapPath('member@contoso.com'), {}), 403, 'Authorization_RequestDenied');
    // Asking the token endpoint for a permission its config entry does not grant gets a token without it.
    const asked = await tok('user-app', 'UserAuthMethod-TAP.ReadWrite.All User.ReadWrite.All');
    expectGraphError(await call(asked, 'POST', tapPath('member@contoso.com'), {}), 403, 'Authorization_RequestDenied');
  });

  it('refuses a delegated AuthenticationAdministrator on a global administrator and on themselves, and allows a member', async () => {
    const token = await delegatedToken(rp, 'authadmin@contoso.com', 'auth admin password 1', 'UserAuthMethod-TAP.ReadWrite.All');
    const onAdmin = await call(token, 'POST', tapPath('admin@contoso.com'), {});
    expectGraphError(onAdmin, 403, 'Authorization_RequestDenied');
    expect(onAdmin.body.error!.message).toContain('cannot manage the authentication methods of an administrator');
    const onSelf = await call(token, 'POST', tapPath('authadmin@contoso.com'), {});
    expectGraphError(onSelf, 403, 'Authorization_RequestDenied');
    expect(onSelf.body.error!.message).toContain('for yourself');
    const onMember = await call(token, 'POST', tapPath('member@contoso.com'), { lifetimeInMinutes: 30 });
    expect(onMember.status).toBe(201);
    expect(onMember.body.temporaryAccessPass).toBeTruthy();
  });

  it('answers 401 without a token, with a token for another audience, and with a revoked one', async () => {
    expectGraphError(await call(undefined, 'GET', '/users'), 401, 'InvalidAuthenticationToken');
    expectGraphError(await call('not-a-token', 'GET', '/users'), 401, 'InvalidAuthenticationToken');
    // A user's ordinary access token (for userinfo) is not one for this API.
    const flow = await signIn(rp, 'pat@contoso.com', { password: 'correct horse battery staple' });
    const plain = await redeem(rp, flow);
    const wrongAudience = await call(plain.access_token, 'GET', '/users');
    expectGraphError(wrongAudience, 401, 'InvalidAuthenticationToken');
    expect(wrongAudience.headers.get('www-authenticate')).toContain('Bearer');

    const token = await delegatedToken(rp, 'authadmin@contoso.com', 'auth admin password 1', 'UserAuthMethod-TAP.ReadWrite.All');
    expect((await call(token, 'GET', tapPath('member@contoso.com'))).status).toBe(200);
    const authadmin = (await server.plugin.directory.findByUpn('authadmin@contoso.com'))!;
    await server.plugin.revoker.revokeAccount(authadmin.id);
    expectGraphError(await call(token, 'GET', tapPath('member@contoso.com')), 401, 'InvalidAuthenticationToken');
  });
});

describe('token introspection', () => {
  it('answers a client about its own tokens only', async () => {
    const flow = await signIn(rp, 'pat@contoso.com', { password: 'correct horse battery staple' });
    const { access_token } = await redeem(rp, flow);
    const introspect = async (id: string, secret: string) => {
      const res = await fetch(`${server.url}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: access_token }).toString(),
      });
      return (await res.json()) as { active: boolean; sub?: string };
    };
    expect((await introspect(TEST_CLIENT.client_id, TEST_CLIENT.client_secret)).active).toBe(true);
    const other = await introspect('hr-app', SECRET);
    expect(other.active).toBe(false);
    expect(other.sub).toBeUndefined();
  });
});

describe('the admin API: TAP methods', () => {
  it('hides the passcode after creation, replaces and revokes on a second POST, and deletes with 204 then 404', async () => {
    const hr = await tok('hr-app', 'UserAuthMethod-TAP.ReadWrite.All');
    const first = await call(hr, 'POST', tapPath('jdoe@contoso.com'), { lifetimeInMinutes: 60 });
    expect(first.status).toBe(201);
    const list = await call(hr, 'GET', tapPath('jdoe@contoso.com'));
    expect(list.status).toBe(200);
    expect(list.body.value).toHaveLength(1);
    expect(list.body.value![0]).toMatchObject({ id: first.body.id, temporaryAccessPass: null });
    const one = await call(hr, 'GET', `${tapPath('jdoe@contoso.com')}/${String(first.body.id)}`);
    expect(one.body.temporaryAccessPass).toBeNull();

    // A sign-in with the first TAP, then a second POST: the first's tokens are revoked.
    const flow = await signIn(rp, 'jdoe@contoso.com', { tap: String(first.body.temporaryAccessPass) });
    const tokens = await redeem(rp, flow);
    const second = await call(hr, 'POST', tapPath('jdoe@contoso.com'), { lifetimeInMinutes: 60 });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    expectGraphError(await call(hr, 'GET', `${tapPath('jdoe@contoso.com')}/${String(first.body.id)}`), 404, 'itemNotFound');

    expect((await call(hr, 'DELETE', `${tapPath('jdoe@contoso.com')}/${String(second.body.id)}`)).status).toBe(204);
    expectGraphError(await call(hr, 'GET', `${tapPath('jdoe@contoso.com')}/${String(second.body.id)}`), 404, 'itemNotFound');
    expect((await call(hr, 'GET', tapPath('jdoe@contoso.com'))).body.value).toEqual([]);
    expectGraphError(await call(hr, 'DELETE', `${tapPath('jdoe@contoso.com')}/${String(second.body.id)}`), 404, 'itemNotFound');
  });

  it('refuses a lifetime outside the live policy range with its numbers, and an external guest with its message', async () => {
    const hr = await tok('hr-app', 'UserAuthMethod-TAP.ReadWrite.All');
    const admin = await tok('super-app', 'Policy.ReadWrite.AuthenticationMethod');
    const policy = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
    expect((await call(admin, 'PATCH', policy, { minimumLifetimeInMinutes: 60 })).status).toBe(204);
    const tooShort = await call(hr, 'POST', tapPath('member@contoso.com'), { lifetimeInMinutes: 30 });
    expectGraphError(tooShort, 400, 'BadRequest');
    expect(tooShort.body.error!.message).toBe('Invalid LifetimeInMinutes specified. The valid range between 60 and 480.');
    expect((await call(admin, 'PATCH', policy, { maximumLifetimeInMinutes: 600 })).status).toBe(204);
    const tooLong = await call(hr, 'POST', tapPath('member@contoso.com'), { lifetimeInMinutes: 601 });
    expect(tooLong.body.error!.message).toBe('Invalid LifetimeInMinutes specified. The valid range between 60 and 600.');
    const guest = await call(hr, 'POST', tapPath('ext@partner.com'), {});
    expectGraphError(guest, 400, 'BadRequest');
    expect(guest.body.error!.message).toBe('Temporary Access Pass cannot be added to an external guest user.');
    expect((await call(admin, 'PATCH', policy, { minimumLifetimeInMinutes: 10, maximumLifetimeInMinutes: 480 })).status).toBe(204);
  });
});

describe('the admin API: policy', () => {
  const policy = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

  it('refuses min > max with 400 naming the field and changes nothing; accepts @odata.type; DELETE restores defaults', async () => {
    const admin = await tok('super-app', 'Policy.ReadWrite.AuthenticationMethod');
    const before = await call(admin, 'GET', policy);
    expect(before.status).toBe(200);
    expect(before.body['@odata.type']).toBe('#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration');
    const refused = await call(admin, 'PATCH', policy, { minimumLifetimeInMinutes: 500, maximumLifetimeInMinutes: 400 });
    expectGraphError(refused, 400, 'BadRequest');
    expect(refused.body.error!.message).toMatch(/minimumLifetimeInMinutes|maximumLifetimeInMinutes/);
    expect((await call(admin, 'GET', policy)).body).toEqual(before.body);

    const typed = await call(admin, 'PATCH', policy, { '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration', defaultLength: 12 });
    expect(typed.status).toBe(204);
    expect((await call(admin, 'GET', policy)).body.defaultLength).toBe(12);
    expectGraphError(await call(admin, 'PATCH', policy, { '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration' }), 400, 'BadRequest');
    expectGraphError(await call(admin, 'PATCH', policy, { colour: 'blue' }), 400, 'BadRequest');

    expect((await call(admin, 'DELETE', policy)).status).toBe(204);
    const reset = await call(admin, 'GET', policy);
    expect(reset.body).toMatchObject({ state: 'disabled', minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, defaultLength: 8, isUsableOnce: false });
    expect((await call(admin, 'PATCH', policy, { state: 'enabled', minimumLifetimeInMinutes: 10 })).status).toBe(204);
  });
});

describe('the admin API: users and request hygiene', () => {
  it('creates a user under a name an instance claimed and never stored (it stopped half-way), instead of refusing that name for good', async () => {
    const hr = await tok('user-app', 'User.ReadWrite.All');
    // A creation that claimed the name and stopped before its user; and a rename that did the same for a user
    // who still has their old name: neither name is anybody's, and neither may find the user it points at.
    await server.redis.set(keys.upn('halfway@contoso.com'), randomUUID());
    const member = await call(hr, 'GET', '/users/member@contoso.com');
    await server.redis.set(keys.upn('halfway-rename@contoso.com'), member.body.id as string);
    expect((await call(hr, 'GET', '/users/halfway-rename@contoso.com')).status).toBe(404);

    for (const upn of ['halfway@contoso.com', 'halfway-rename@contoso.com']) {
      const created = await call(hr, 'POST', '/users', { displayName: 'Half Way', userPrincipalName: upn });
      expect(created.status).toBe(201);
      expect((await call(hr, 'GET', `/users/${upn}`)).body.id).toBe(created.body.id);
      // Taken now: refused at once, as any name of a user.
      expectGraphError(await call(hr, 'POST', '/users', { displayName: 'Dup', userPrincipalName: upn.toUpperCase() }), 400, 'Request_BadRequest');
    }
    expect((await call(hr, 'GET', '/users/member@contoso.com')).body.id).toBe(member.body.id);
  });

  it('creates, pages, filters, updates and deletes users; deleting one revokes their sessions', async () => {
    const hr = await tok('user-app', 'User.ReadWrite.All');
    const created = await call(hr, 'POST', '/users', {
      accountEnabled: true,
      displayName: 'New Hire',
      mailNickname: 'newhire',
      userPrincipalName: 'newhire@contoso.com',
      passwordProfile: { forceChangePasswordNextSignIn: false, password: 'a long first password' },
      groups: ['new-hires'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userPrincipalName: 'newhire@contoso.com', displayName: 'New Hire', userType: 'Member' });
    expect(created.body).not.toHaveProperty('passwordHash');
    expectGraphError(await call(hr, 'POST', '/users', { displayName: 'Dup', userPrincipalName: 'NEWHIRE@contoso.com' }), 400, 'Request_BadRequest');

    const byUpn = await call(hr, 'GET', '/users/newhire@contoso.com');
    expect(byUpn.body.id).toBe(created.body.id);
    const page1 = await call(hr, 'GET', '/users?$top=3');
    expect(page1.body.value).toHaveLength(3);
    const next = String(page1.body['@odata.nextLink']);
    expect(next).toContain('$skiptoken=');
    const seen = [...page1.body.value!];
    let link: string | undefined = next;
    while (link) {
      const page = await call(hr, 'GET', link.slice(`${server.url}/v1.0`.length));
      seen.push(...page.body.value!);
      link = page.body['@odata.nextLink'] as string | undefined;
    }
    expect(new Set(seen.map((u) => u.id)).size).toBe(seen.length);
    expect(seen.length).toBe((await server.plugin.directory.list()).length);
    const filtered = await call(hr, 'GET', `/users?$filter=${encodeURIComponent("startswith(displayName,'new')")}`);
    expect(filtered.body.value!.map((u) => u.userPrincipalName)).toEqual(['newhire@contoso.com']);
    expectGraphError(await call(hr, 'GET', `/users?$filter=${encodeURIComponent('id gt 3')}`), 400, 'Request_BadRequest');
    expectGraphError(await call(hr, 'GET', '/users?$top=0'), 400, 'Request_BadRequest');
    expectGraphError(await call(hr, 'GET', '/users?$orderby=mail'), 400, 'Request_UnsupportedQuery');

    expect((await call(hr, 'PATCH', '/users/newhire@contoso.com', { displayName: 'Newly Hired' })).status).toBe(204);
    expect((await call(hr, 'GET', `/users/${String(created.body.id)}`)).body.displayName).toBe('Newly Hired');

    const flow = await signIn(rp, 'newhire@contoso.com', { password: 'a long first password' });
    const tokens = await redeem(rp, flow);
    expect((await call(hr, 'DELETE', '/users/newhire@contoso.com')).status).toBe(204);
    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    expectGraphError(await call(hr, 'GET', '/users/newhire@contoso.com'), 404, 'Request_ResourceNotFound');
  });

  it('lets only a signed-in Global Administrator give roles or change an administrator, never an application', async () => {
    const feed = await tok('user-app', 'User.ReadWrite.All');
    const minted = await call(feed, 'POST', '/users', { displayName: 'Mallory', userPrincipalName: 'mallory@contoso.com', roles: ['GlobalAdministrator'] });
    expectGraphError(minted, 403, 'Authorization_RequestDenied');
    expect(minted.body.error!.message).toContain('needs a Global Administrator signed in');
    expect(await server.plugin.directory.findByUpn('mallory@contoso.com')).toBeUndefined();
    expectGraphError(await call(feed, 'PATCH', '/users/member@contoso.com', { roles: ['AuthenticationAdministrator'] }), 403, 'Authorization_RequestDenied');
    expectGraphError(await call(feed, 'PATCH', '/users/admin@contoso.com', { displayName: 'Not Ada' }), 403, 'Authorization_RequestDenied');
    expectGraphError(await call(feed, 'DELETE', '/users/admin@contoso.com'), 403, 'Authorization_RequestDenied');
    expect((await server.plugin.directory.findByUpn('admin@contoso.com'))!.displayName).toBe('Ada Admin');
    // Members stay the feed's to change.
    expect((await call(feed, 'PATCH', '/users/member@contoso.com', { displayName: 'Member Renamed' })).status).toBe(204);

    const ga = await delegatedToken(rp, 'ga@contoso.com', 'global admin password 1', 'User.ReadWrite.All');
    const helpdesk = await call(ga, 'POST', '/users', { displayName: 'Helpdesk', userPrincipalName: 'helpdesk@contoso.com', roles: ['AuthenticationAdministrator'] });
    expect(helpdesk.status).toBe(201);
    expect(helpdesk.body).not.toHaveProperty('roles');
    const roles = await call(ga, 'GET', `/users/${String(helpdesk.body.id)}/memberOf`);
    expect(roles.body.value).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.directoryRole', displayName: 'Authentication Administrator' })]);
  });

  it('gives a precise 4xx for a wrong content type, bad JSON, a wrong type, an unknown field and an oversized body', async () => {
    const hr = await tok('hr-app', 'UserAuthMethod-TAP.ReadWrite.All');
    const path = tapPath('member@contoso.com');
    expectGraphError(await call(hr, 'POST', path, 'lifetimeInMinutes=60', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupportedMediaType');
    expectGraphError(await call(hr, 'POST', path, '{"lifetimeInMinutes": 6', {}), 400, 'BadRequest');
    const wrongType = await call(hr, 'POST', path, { lifetimeInMinutes: '60' });
    expectGraphError(wrongType, 400, 'BadRequest');
    expect(wrongType.body.error!.message).toBe('lifetimeInMinutes must be a whole number, not a string.');
    const unknown = await call(hr, 'POST', path, { lifetime: 60 });
    expect(unknown.body.error!.message).toBe('lifetime is not a property this request accepts.');
    expectGraphError(await call(hr, 'POST', path, { startDateTime: 'tomorrow' }), 400, 'BadRequest');
    expectGraphError(await call(hr, 'POST', path, JSON.stringify({ pad: 'x'.repeat(20_000) })), 413, 'requestEntityTooLarge');
    expectGraphError(await call(hr, 'GET', '/users/nobody@contoso.com/authentication/temporaryAccessPassMethods'), 404, 'Request_ResourceNotFound');
    const unknownPath = await call(hr, 'GET', '/nothing/here');
    expectGraphError(unknownPath, 400, 'BadRequest');
    expect(unknownPath.body.error!.message).toBe("Resource not found for the segment 'nothing'.");
    expect((await call(hr, 'PUT', path, {})).status).toBe(405);
  });
});
