import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { Browser, formAction, pageError } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { delegatedToken } from './support/delegatedToken.js';
import { graph } from './support/graph.js';
import { signIn } from './support/rp.js';
import { TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';
import { findUser } from './support/findUser.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import type { User } from '../src/directory/User.js';

const PASSWORD = 'console password 0123456789';
const ROLES = ['GlobalAdministrator', 'PrivilegedAuthenticationAdministrator', 'AuthenticationAdministrator', 'AuthenticationPolicyAdministrator', 'GlobalReader'] as const;
/** One person per role (and a member with none), each signing in with a password. */
const PEOPLE = [...ROLES.map((r) => ({ upn: `${r.toLowerCase()}@contoso.com`, role: r as string | undefined })), { upn: 'member@contoso.com', role: undefined }];

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    config: () =>
      testConfig({
        users: PEOPLE.map((p) => ({ userPrincipalName: p.upn, displayName: p.role ?? 'Member', password: PASSWORD, ...(p.role ? { roles: [p.role] } : {}) })),
        clients: [TEST_CLIENT],
      }),
  },
  (d) => ({ server, rp } = d),
);

/** A browser signed in to the console as `upn` (identifier and password steps), on the page it landed on. */
async function consoleAs(upn: string, path = '/admin/users') {
  const b = new Browser();
  const first = await b.follow(`${server.url}${path}`);
  const step = await b.submit(formAction(first.html, first.url), { username: upn });
  const page = await b.submit(formAction(step.html, step.url), { username: upn, password: PASSWORD });
  return { b, page };
}

/** The CSRF token of a console page. */
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('the admin console', () => {
  it('signs a person in through the provider, and refuses one without an administrative role with a clear page', async () => {
    const admin = await consoleAs('authenticationadministrator@contoso.com');
    expect(admin.page.res.status).toBe(200);
    expect(new URL(admin.page.url).pathname).toBe('/admin/users');
    expect(admin.page.html).toContain('Search users');

    const member = await consoleAs('member@contoso.com');
    expect(member.page.res.status).toBe(403);
    expect(member.page.html).toContain("You don&#39;t have access to the admin console");
  });

  it('answers every role and action as the admin API does: one authorization rule for both', async () => {
    const memberTarget = await freshUser(server, 'target');
    const adminTarget = await server.plugin.directory.importSeed({ userPrincipalName: 'admin-target@contoso.com', displayName: 'Admin Target', userType: 'Member', roles: ['GlobalReader'], groups: [] });
    const scope = 'User.ReadWrite.All UserAuthMethod-TAP.ReadWrite.All Policy.ReadWrite.AuthenticationMethod AuditLog.Read.All';
    /** An action tried through the console and through the API: [allowed by the console, allowed by the API]. */
    type Check = (who: { b: Browser; token: string }, target: User) => Promise<[boolean, boolean]>;
    const ok = (s: number) => s >= 200 && s < 400;
    const listUsers: Check = async ({ b, token }) => [ok((await b.follow(`${server.url}/admin/users`)).res.status), ok((await graph(server.url, token, 'GET', '/users')).status)];
    const viewMethods: Check = async ({ b, token }, u) => [
      (await b.follow(`${server.url}/admin/users/${u.id}`)).html.includes('class="methods"'),
      ok((await graph(server.url, token, 'GET', `/users/${u.id}/authentication/methods`)).status),
    ];
    const issue: Check = async ({ b, token }, u) => {
      const form = await b.follow(`${server.url}/admin/users/${u.id}/issue`);
      const nonce = /name="nonce" value="([^"]+)"/.exec(form.html)?.[1];
      const viaConsole = form.res.status === 200 && !!nonce && (await b.submit(`${server.url}/admin/users/${u.id}/issue`, { csrf: csrfOf(form.html), nonce: nonce!, lifetime: '60', once: 'on' })).res.status === 200;
      return [viaConsole, ok((await graph(server.url, token, 'POST', `/users/${u.id}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 })).status)];
    };
    const revoke: Check = async ({ b, token }, u) => {
      // The form's token from the user's page (a role that may not see users has no form to post from).
      const page = await b.follow(`${server.url}/admin/users/${u.id}`);
      const res = await b.request(`${server.url}/admin/users/${u.id}/revoke-sessions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url }, body: new URLSearchParams({ csrf: csrfOf(page.html) }).toString() });
      return [res.status === 303, ok((await graph(server.url, token, 'POST', `/users/${u.id}/revokeSignInSessions`)).status)];
    };
    const table: [string, Check, User | undefined][] = [
      ['list users', listUsers, undefined],
      ['see a member\'s methods', viewMethods, memberTarget],
      ['see an administrator\'s methods', viewMethods, adminTarget],
      ['issue a TAP for a member', issue, memberTarget],
      ['issue a TAP for an administrator', issue, adminTarget],
      ['revoke a member\'s sessions', revoke, memberTarget],
      ['revoke an administrator\'s sessions', revoke, adminTarget],
    ];
    const seen: string[] = [];
    for (const p of PEOPLE.filter((x) => x.role)) {
      const { b } = await consoleAs(p.upn);
      const token = await delegatedToken(rp, p.upn, PASSWORD, scope);
      for (const [name, check, target] of table) {
        const [viaConsole, viaApi] = await check({ b, token }, target ?? memberTarget);
        expect(viaConsole, `${p.role}: ${name} (console ${viaConsole}, API ${viaApi})`).toBe(viaApi);
        seen.push(`${p.role} ${name} ${viaApi ? 'allowed' : 'denied'}`);
      }
    }
    // The table is not vacuous: some are allowed, some denied, the help desk's limit among them.
    expect(seen).toContain('AuthenticationAdministrator issue a TAP for a member allowed');
    expect(seen).toContain('AuthenticationAdministrator issue a TAP for an administrator denied');
    expect(seen).toContain('GlobalReader issue a TAP for a member denied');
    expect(seen).toContain('GlobalReader see a member\'s methods allowed');
  });

  it('shows the passcode once: a resent form issues nothing, and the user\'s page never shows it', async () => {
    const target = await freshUser(server, 'once');
    const { b } = await consoleAs('authenticationadministrator@contoso.com');
    const form = await b.follow(`${server.url}/admin/users/${target.id}/issue`);
    expect(form.html).toContain('Lifetime in minutes');
    const body = { csrf: csrfOf(form.html), nonce: /name="nonce" value="([^"]+)"/.exec(form.html)![1]!, lifetime: '60', once: 'on' };
    const issued = await b.submit(`${server.url}/admin/users/${target.id}/issue`, body);
    expect(issued.res.headers.get('cache-control')).toBe('no-store');
    const passcode = /<output id="passcode" class="passcode">([^<]+)<\/output>/.exec(issued.html)?.[1];
    expect(passcode).toMatch(/^\S{8,}$/);
    const tapId = (await server.plugin.taps.get(target))!.id;
    // A reload resends the same form: nothing more is issued, and no passcode is shown.
    const again = await b.submit(`${server.url}/admin/users/${target.id}/issue`, body);
    expect(again.html).not.toContain(passcode);
    expect(again.html).toContain('That form was already sent');
    expect((await server.plugin.taps.get(target))!.id).toBe(tapId);
    expect(server.logs.join('\n')).not.toContain(passcode);
    // Outside the policy's range: refused as the API refuses it.
    const form2 = await b.follow(`${server.url}/admin/users/${target.id}/issue`);
    expect(form2.html).toContain('This user already has a Temporary Access Pass');
    const tooLong = await b.submit(`${server.url}/admin/users/${target.id}/issue`, { csrf: csrfOf(form2.html), nonce: /name="nonce" value="([^"]+)"/.exec(form2.html)![1]!, lifetime: '100000' });
    expect(tooLong.res.status).toBe(400);
    expect(pageError(tooLong.html)).toContain('Invalid LifetimeInMinutes');
  });

  it('two-person rule: an administrator\'s TAP stays pending until a second administrator approves it; never the requester', async () => {
    const target = await findUser(server, 'globalreader@contoso.com');
    const requester = await consoleAs('privilegedauthenticationadministrator@contoso.com');
    const form = await requester.b.follow(`${server.url}/admin/users/${target.id}/issue`);
    expect(form.html).toContain('second administrator');
    const issued = await requester.b.submit(`${server.url}/admin/users/${target.id}/issue`, { csrf: csrfOf(form.html), nonce: /name="nonce" value="([^"]+)"/.exec(form.html)![1]!, lifetime: '60' });
    const passcode = /<output id="passcode" class="passcode">([^<]+)<\/output>/.exec(issued.html)![1]!;
    const tap = (await server.plugin.taps.get(target))!;
    expect(tap.methodUsabilityReason).toBe('PendingApproval');
    expect(tap.isUsable).toBe(false);

    // Signing in with it is refused, saying why.
    const pending = await signIn(rp, target.userPrincipalName, { tap: passcode });
    expect(pending.callback).toBeUndefined();
    expect(pageError(pending.done.html)).toContain("waiting for a second administrator's approval");

    // The requester cannot approve their own: no button, and the POST is refused.
    const own = await requester.b.follow(`${server.url}/admin/users/${target.id}`);
    expect(own.html).not.toContain('>Approve<');
    expect(own.html).toContain('You issued this Temporary Access Pass');
    const self = await requester.b.submit(`${server.url}/admin/users/${target.id}/tap/${tap.id}/approve`, { csrf: csrfOf(own.html) });
    expect(self.res.status).toBe(403);
    expect((await server.plugin.taps.get(target))!.methodUsabilityReason).toBe('PendingApproval');

    // A second administrator approves it; it is audited, and then it signs in.
    const second = await consoleAs('globaladministrator@contoso.com', `/admin/users/${target.id}`);
    expect(second.page.html).toContain('>Approve<');
    const approved = await second.b.submit(`${server.url}/admin/users/${target.id}/tap/${tap.id}/approve`, { csrf: csrfOf(second.page.html) });
    expect(approved.html).toContain('it can now sign in');
    expect((await server.plugin.taps.get(target))!.isUsable).toBe(true);
    const audits = await server.plugin.audit.queryDirectory({ filter: `resultReason eq 'Admin approved temporary access pass method for user'` });
    expect(audits.value.some((r) => JSON.stringify(r).includes('globaladministrator@contoso.com'))).toBe(true);
    const done = await signIn(rp, target.userPrincipalName, { tap: passcode });
    expect(done.callback).toBeDefined();
  });

  it('two-person rule through the API: created pending, self-approval refused, an application may not approve', async () => {
    const target = await server.plugin.directory.importSeed({ userPrincipalName: 'api-target@contoso.com', displayName: 'API Target', userType: 'Member', roles: ['AuthenticationPolicyAdministrator'], groups: [] });
    const scope = 'UserAuthMethod-TAP.ReadWrite.All';
    const requester = await delegatedToken(rp, 'privilegedauthenticationadministrator@contoso.com', PASSWORD, scope);
    const created = await graph(server.url, requester, 'POST', `/users/${target.id}/authentication/temporaryAccessPassMethods`, {});
    expect(created.status).toBe(201);
    expect(created.body.methodUsabilityReason).toBe('PendingApproval');
    const path = `/users/${target.id}/authentication/temporaryAccessPassMethods/${created.body.id as string}/approve`;
    const self = await graph(server.url, requester, 'POST', path);
    expect(self.status).toBe(403);
    const second = await delegatedToken(rp, 'globaladministrator@contoso.com', PASSWORD, scope);
    const approved = await graph(server.url, second, 'POST', path);
    expect(approved.status).toBe(200);
    expect(approved.body.methodUsabilityReason).toBe('EnabledByPolicy');
    expect((await graph(server.url, second, 'POST', path)).status).toBe(400);
  });

  it('deletes a passkey and a TAP, unlocks and revokes, each audited with the administrator who did it', async () => {
    const target = await freshUser(server, 'actions');
    await issueTap(server, target, { lifetimeInMinutes: 60 });
    const { b } = await consoleAs('authenticationadministrator@contoso.com', `/admin/users/${target.id}`);
    const page = await b.follow(`${server.url}/admin/users/${target.id}`);
    expect(page.html).toContain('<h1>' + target.displayName + '</h1>');
    expect(page.html).toContain('Authentication methods');
    expect(page.html).toContain('Delete Temporary Access Pass');
    const revoked = await b.submit(`${server.url}/admin/users/${target.id}/revoke-sessions`, { csrf: csrfOf(page.html) });
    expect(revoked.html).toContain('Every sign-in session of this user has ended');
    const tapId = (await server.plugin.taps.get(target))!.id;
    const deleted = await b.submit(`${server.url}/admin/users/${target.id}/tap/${tapId}/delete`, { csrf: csrfOf(page.html) });
    expect(deleted.html).toContain('The Temporary Access Pass was deleted');
    expect(await server.plugin.taps.get(target)).toBeUndefined();
    const audits = await server.plugin.audit.queryDirectory({ filter: `targetResources/any(t: t/id eq '${target.id}')` });
    const byAgent = audits.value.filter((r) => JSON.stringify(r).includes('authenticationadministrator@contoso.com'));
    expect(byAgent.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a change without the page\'s CSRF token', async () => {
    const target = await freshUser(server, 'csrf');
    const { b } = await consoleAs('authenticationadministrator@contoso.com');
    const res = await b.submit(`${server.url}/admin/users/${target.id}/revoke-sessions`, { csrf: 'wrong' });
    expect(res.res.status).toBe(403);
    expect(res.html).toContain('did not come from the admin console');
  });
});
