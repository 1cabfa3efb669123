import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import { graph } from './support/graph.js';
import { redeem, refreshError, signInWithPassword } from './support/rp.js';
import { TEST_USERS, testConfig, type TestServer } from './support/testServer.js';
import { delegatedToken } from './support/delegatedToken.js';
import { byTest } from './support/byTest.js';

/*
 * Claims of docs/security.md that no other test covered: what each delegated admin role can and cannot do with
 * TAPs, the policy and the audit log, and what a stolen refresh token is worth once its owner has used it.
 */

const PASSWORD = 'threat model password 1';
const POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
const ALL_SCOPES = 'UserAuthMethod-TAP.ReadWrite.All Policy.ReadWrite.AuthenticationMethod AuditLog.Read.All User.ReadWrite.All';

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    config: () =>
      testConfig({
        users: [
          ...TEST_USERS,
          { userPrincipalName: 'paa@contoso.com', displayName: 'Privileged Auth Admin', roles: ['PrivilegedAuthenticationAdministrator'], password: PASSWORD },
          { userPrincipalName: 'apa@contoso.com', displayName: 'Auth Policy Admin', roles: ['AuthenticationPolicyAdministrator'], password: PASSWORD },
          { userPrincipalName: 'reader@contoso.com', displayName: 'Global Reader', roles: ['GlobalReader'], password: PASSWORD },
        ],
      }),
  },
  (d) => ({ server, rp } = d),
);

const taps = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;

describe('what each admin role can do with a TAP (docs/security.md)', () => {
  it('a PrivilegedAuthenticationAdministrator issues TAPs for administrators and members, never for themselves, and cannot touch the policy or users', async () => {
    const t = await delegatedToken(rp, 'paa@contoso.com', PASSWORD, ALL_SCOPES);
    const onGlobalAdmin = await graph(server.url, t, 'POST', taps('admin@contoso.com'), { lifetimeInMinutes: 60 });
    expect(onGlobalAdmin.status).toBe(201);
    expect((await graph(server.url, t, 'POST', taps('jdoe@contoso.com'), {})).status).toBe(201);
    expect((await graph(server.url, t, 'POST', taps('paa@contoso.com'), {})).status).toBe(403);
    expect((await graph(server.url, t, 'PATCH', POLICY, { defaultLength: 12 })).status).toBe(403);
    expect((await graph(server.url, t, 'PATCH', '/users/jdoe@contoso.com', { roles: ['GlobalAdministrator'] })).status).toBe(403);
    expect((await graph(server.url, t, 'GET', '/auditLogs/directoryAudits')).status).toBe(403);
    await graph(server.url, t, 'DELETE', `${taps('admin@contoso.com')}/${String(onGlobalAdmin.body.id)}`);
  });

  it('an AuthenticationPolicyAdministrator changes the policy but can neither read nor issue a TAP', async () => {
    const t = await delegatedToken(rp, 'apa@contoso.com', PASSWORD, ALL_SCOPES);
    expect((await graph(server.url, t, 'PATCH', POLICY, { defaultLength: 9 })).status).toBe(204);
    expect((await graph(server.url, t, 'GET', POLICY)).body.defaultLength).toBe(9);
    expect((await graph(server.url, t, 'PATCH', POLICY, { defaultLength: 8 })).status).toBe(204);
    expect((await graph(server.url, t, 'POST', taps('jdoe@contoso.com'), {})).status).toBe(403);
    expect((await graph(server.url, t, 'GET', taps('jdoe@contoso.com'))).status).toBe(403);
    expect((await graph(server.url, t, 'GET', '/auditLogs/signIns')).status).toBe(403);
  });

  it('a GlobalReader reads TAP details (never the passcode), the policy and the audit log, and changes nothing', async () => {
    const jdoe = (await server.plugin.directory.findByUpn('jdoe@contoso.com'))!;
    const tap = await server.plugin.taps.create(jdoe, { lifetimeInMinutes: 60 }, byTest);
    const t = await delegatedToken(rp, 'reader@contoso.com', PASSWORD, ALL_SCOPES);
    const read = await graph(server.url, t, 'GET', taps('jdoe@contoso.com'));
    expect(read.status).toBe(200);
    expect(read.body.value![0]).toMatchObject({ id: tap.id, temporaryAccessPass: null });
    expect(JSON.stringify(read.body)).not.toContain(tap.temporaryAccessPass!);
    expect((await graph(server.url, t, 'GET', POLICY)).status).toBe(200);
    expect((await graph(server.url, t, 'GET', '/auditLogs/directoryAudits')).status).toBe(200);
    expect((await graph(server.url, t, 'POST', taps('jdoe@contoso.com'), {})).status).toBe(403);
    expect((await graph(server.url, t, 'DELETE', `${taps('jdoe@contoso.com')}/${tap.id}`)).status).toBe(403);
    expect((await graph(server.url, t, 'PATCH', POLICY, { defaultLength: 10 })).status).toBe(403);
    expect((await graph(server.url, t, 'POST', '/users/jdoe@contoso.com/revokeSignInSessions')).status).toBe(403);
    expect((await server.plugin.taps.get(jdoe))!.id).toBe(tap.id);
  });
});

describe('a stolen refresh token (docs/security.md)', () => {
  it('once its owner has refreshed, replaying the old one fails and ends the whole grant, the owner’s new tokens too', async () => {
    const flow = await signInWithPassword(rp, 'pat@contoso.com', 'correct horse battery staple');
    const stolen = (await redeem(rp, flow)).refresh_token!;
    const owner = await client.refreshTokenGrant(rp, stolen);
    expect((await client.tokenIntrospection(rp, owner.access_token)).active).toBe(true);
    // The thief replays the copy: refused, and oidc-provider takes it as a sign of theft and revokes the grant.
    expect(await refreshError(rp, stolen)).toBe('invalid_grant');
    expect((await client.tokenIntrospection(rp, owner.access_token)).active).toBe(false);
    expect(await refreshError(rp, owner.refresh_token!)).toBe('invalid_grant');
  });
});
