import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { Browser, formAction, pageError } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { delegatedToken } from './support/delegatedToken.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { signIn } from './support/rp.js';
import { TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';
import { findUser } from './support/findUser.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { silentAuthorization } from './support/silentAuthorization.js';
import type { User } from '../src/directory/User.js';
import { PSEUDO_LOCALE } from '../src/i18n/PSEUDO_LOCALE.js';
import { untranslatedText } from './support/untranslatedText.js';

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
        clients: [TEST_CLIENT, apiClient('tap-app', 'tap-app-secret-0123456789', ['UserAuthMethod-TAP.ReadWrite.All'])],
      }),
  },
  (d) => ({ server, rp } = d),
);

/** A browser signed in to the console as `upn` (identifier and password steps), on the page it landed on. */
async function consoleAs(upn: string, path = '/admin/users', b = new Browser()) {
  const first = await b.follow(`${server.url}${path}`);
  let step = await b.submit(formAction(first.html, first.url), { username: upn });
  // Someone who holds a TAP is asked for it first; they may still use their password.
  const instead = /href="([^"]+)"[^>]*>\s*Use your password instead/.exec(step.html)?.[1];
  if (instead) step = await b.follow(new URL(instead.replaceAll('&amp;', '&'), step.url).href);
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
    // The sign-in pages' headers: the same strict CSP, no caching.
    expect(admin.page.res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(admin.page.res.headers.get('cache-control')).toBe('no-store');

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
    /** The form token of any console page the person may open that has a form (none: their post is refused anyway). */
    const csrfFrom = async (b: Browser, u: User) => csrfOf((await b.follow(`${server.url}/admin/policy`)).html) || csrfOf((await b.follow(`${server.url}/admin/users/${u.id}`)).html);
    const post = (b: Browser, path: string, form: Record<string, string>) =>
      b.request(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url }, body: new URLSearchParams(form).toString() });
    const readLogs: Check = async ({ b, token }) => [ok((await b.follow(`${server.url}/admin/audit`)).res.status), ok((await graph(server.url, token, 'GET', '/auditLogs/directoryAudits')).status)];
    const readSignIns: Check = async ({ b, token }) => [ok((await b.follow(`${server.url}/admin/sign-ins`)).res.status), ok((await graph(server.url, token, 'GET', '/auditLogs/signIns')).status)];
    const POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
    const readPolicy: Check = async ({ b, token }) => [ok((await b.follow(`${server.url}/admin/policy`)).res.status), ok((await graph(server.url, token, 'GET', POLICY)).status)];
    const changePolicy: Check = async ({ b, token }, u) => {
      const res = await post(b, '/admin/policy', { csrf: await csrfFrom(b, u), state: 'enabled', minimumLifetimeInMinutes: '10', maximumLifetimeInMinutes: '480', defaultLifetimeInMinutes: '60', defaultLength: '8' });
      return [res.status === 303, ok((await graph(server.url, token, 'PATCH', POLICY, { state: 'enabled' })).status)];
    };
    let made = 0;
    const createUser: Check = async ({ b, token }, u) => {
      made += 1;
      const res = await post(b, '/admin/users/new', { csrf: await csrfFrom(b, u), userPrincipalName: `made-${made}-c@contoso.com`, displayName: 'Made', groups: '', enabled: 'on' });
      return [res.status === 303, ok((await graph(server.url, token, 'POST', '/users', { userPrincipalName: `made-${made}-a@contoso.com`, displayName: 'Made' })).status)];
    };
    const editUser: Check = async ({ b, token }, u) => {
      const res = await post(b, `/admin/users/${u.id}/edit`, { csrf: await csrfFrom(b, u), displayName: u.displayName, groups: '', enabled: 'on' });
      return [res.status === 303, ok((await graph(server.url, token, 'PATCH', `/users/${u.id}`, { displayName: u.displayName })).status)];
    };
    const table: [string, Check, User | undefined][] = [
      ['create a user', createUser, undefined],
      ['edit a member', editUser, memberTarget],
      ['edit an administrator', editUser, adminTarget],
      ['read the audit log', readLogs, undefined],
      ['read the sign-in log', readSignIns, undefined],
      ['read the TAP policy', readPolicy, undefined],
      ['change the TAP policy', changePolicy, undefined],
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
    expect(seen).toContain('AuthenticationPolicyAdministrator change the TAP policy allowed');
    expect(seen).toContain('GlobalReader change the TAP policy denied');
    expect(seen).toContain('GlobalAdministrator create a user allowed');
    expect(seen).toContain('PrivilegedAuthenticationAdministrator edit a member denied');
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
    expect(pageError(tooLong.html)).toContain('The lifetime must be between 10 and 480 minutes');
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
    const app = await appToken(server.url, 'tap-app', 'tap-app-secret-0123456789', 'UserAuthMethod-TAP.ReadWrite.All');
    const byApp = await graph(server.url, app, 'POST', path);
    expect(byApp.status).toBe(403);
    expect(byApp.body.error!.message).toContain('not by an application');
    const second = await delegatedToken(rp, 'globaladministrator@contoso.com', PASSWORD, scope);
    const approved = await graph(server.url, second, 'POST', path);
    expect(approved.status).toBe(200);
    expect(approved.body.methodUsabilityReason).toBe('EnabledByPolicy');
    expect((await graph(server.url, second, 'POST', path)).status).toBe(400);
  });

  it('deletes a passkey and a TAP, unlocks and revokes, each audited with the administrator who did it', async () => {
    const target = await freshUser(server, 'actions');
    const tap = await issueTap(server, target, { lifetimeInMinutes: 60 });
    const passkey = await seedPasskey(server.redis, target.id, 'Lost key');
    const session = await signIn(rp, target.userPrincipalName, { tap: tap.temporaryAccessPass! });
    expect(session.callback).toBeDefined();
    await signIn(rp, target.userPrincipalName, { tap: 'WRONGWRONG' });
    const { b } = await consoleAs('authenticationadministrator@contoso.com', `/admin/users/${target.id}`);
    const page = await b.follow(`${server.url}/admin/users/${target.id}`);
    expect(page.html).toContain('<h1>' + target.displayName + '</h1>');
    expect(page.html).toContain('Authentication methods');
    expect(page.html).toContain('Delete Temporary Access Pass');
    expect(page.html).toContain('1 failed attempt');
    const unlocked = await b.submit(`${server.url}/admin/users/${target.id}/tap/${(await server.plugin.taps.get(target))!.id}/unlock`, { csrf: csrfOf(page.html) });
    expect(unlocked.html).toContain('its failed attempts are cleared');
    expect((await server.plugin.taps.get(target))!['oidcTap.failureCount']).toBe(0);
    expect(page.html).toContain('Delete Lost key');
    const gone = await b.submit(`${server.url}/admin/users/${target.id}/passkeys/${passkey.id}/delete`, { csrf: csrfOf(page.html) });
    expect(gone.html).toContain('The passkey was deleted');
    expect(await server.plugin.passkeys.list(target.id)).toEqual([]);
    const revoked = await b.submit(`${server.url}/admin/users/${target.id}/revoke-sessions`, { csrf: csrfOf(page.html) });
    expect(revoked.html).toContain('Every sign-in session of this user has ended');
    expect((await silentAuthorization(rp, session.browser)).get('error')).toBe('login_required');
    const tapId = (await server.plugin.taps.get(target))!.id;
    const deleted = await b.submit(`${server.url}/admin/users/${target.id}/tap/${tapId}/delete`, { csrf: csrfOf(page.html) });
    expect(deleted.html).toContain('The Temporary Access Pass was deleted');
    expect(await server.plugin.taps.get(target)).toBeUndefined();
    const audits = await server.plugin.audit.queryDirectory({ filter: `targetResources/any(t: t/id eq '${target.id}')` });
    const byAgent = audits.value.filter((r) => JSON.stringify(r).includes('authenticationadministrator@contoso.com'));
    const reasons = byAgent.flatMap((r) => [r.resultReason, r.activityDisplayName]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'Admin unlocked temporary access pass method for user',
        'Admin deleted passkey method for user',
        'Admin deleted temporary access pass method for user',
        'Invalidate all refresh tokens for user',
      ]),
    );
  });

  it('refuses a change without the page\'s CSRF token', async () => {
    const target = await freshUser(server, 'csrf');
    const { b } = await consoleAs('authenticationadministrator@contoso.com');
    const res = await b.submit(`${server.url}/admin/users/${target.id}/revoke-sessions`, { csrf: 'wrong' });
    expect(res.res.status).toBe(403);
    expect(res.html).toContain('did not come from the admin console');
  });

  it('shows the audit and sign-in logs filtered by user, activity, result and time, each record linked to its user', async () => {
    const target = await freshUser(server, 'logged');
    await issueTap(server, target, { lifetimeInMinutes: 60 });
    await signIn(rp, target.userPrincipalName, { tap: 'WRONGWRONG' });
    const { b } = await consoleAs('globaladministrator@contoso.com', '/admin/audit');
    const audit = await b.follow(`${server.url}/admin/audit?${new URLSearchParams({ user: target.userPrincipalName, activity: 'Admin registered security info', result: 'success', from: '2000-01-01T00:00' })}`);
    expect(audit.res.status).toBe(200);
    expect(audit.html).toContain(`href="/admin/users/${target.id}"`);
    expect(audit.html).toContain('Admin registered temporary access pass method for user');
    const none = await b.follow(`${server.url}/admin/audit?${new URLSearchParams({ user: target.userPrincipalName, to: '2000-01-01T00:00' })}`);
    expect(none.html).toContain('No record matches.');
    const signIns = await b.follow(`${server.url}/admin/sign-ins?${new URLSearchParams({ user: target.userPrincipalName, result: 'failure', activity: 'Temporary Access Pass' })}`);
    expect(signIns.html).toContain(`href="/admin/users/${target.id}"`);
    expect(signIns.html).toContain('WrongPasscode');
    const ok = await b.follow(`${server.url}/admin/sign-ins?${new URLSearchParams({ user: target.userPrincipalName, result: 'success' })}`);
    expect(ok.html).toContain('No record matches.');
  });

  it('pages users and log records, each next page carrying the search and filters', async () => {
    for (let i = 0; i < 23; i++) await freshUser(server, 'paged');
    const { b, page } = await consoleAs('globaladministrator@contoso.com', '/admin/users?q=paged-');
    const names = (html: string) => [...html.matchAll(/<td>(paged-\d+@contoso\.com)<\/td>/g)].map((m) => m[1]!);
    const first = names(page.html);
    expect(first).toHaveLength(20);
    const next = /href="(\/admin\/users\?q=paged-[^"]+)"/.exec(page.html)![1]!.replaceAll('&amp;', '&');
    const second = names((await b.follow(`${server.url}${next}`)).html);
    expect(second).toHaveLength(3);
    expect(new Set([...first, ...second]).size).toBe(23);

    const target = await freshUser(server, 'many-records');
    for (let i = 0; i < 52; i++) await issueTap(server, target, { lifetimeInMinutes: 60 });
    const log = await b.follow(`${server.url}/admin/audit?${new URLSearchParams({ user: target.userPrincipalName, activity: 'Admin registered security info' })}`);
    const rows = (html: string) => (html.match(/<tr>/g) ?? []).length - 1;
    expect(rows(log.html)).toBe(50);
    const more = /href="(\/admin\/audit\?[^"]+skip=[^"]+)"/.exec(log.html)![1]!.replaceAll('&amp;', '&');
    expect(more).toContain('activity=Admin+registered+security+info');
    expect(rows((await b.follow(`${server.url}${more}`)).html)).toBe(2);
  });

  it('edits the TAP policy as the API does: a change the API refuses is refused whole, with its reason', async () => {
    const { b, page } = await consoleAs('authenticationpolicyadministrator@contoso.com', '/admin');
    expect(new URL(page.url).pathname).toBe('/admin/policy');
    expect(page.html).toContain('Minimum lifetime in minutes');
    const before = await server.plugin.taps.getPolicy();
    const bad = await b.submit(`${server.url}/admin/policy`, { csrf: csrfOf(page.html), state: 'enabled', minimumLifetimeInMinutes: '120', maximumLifetimeInMinutes: '60', defaultLifetimeInMinutes: '60', defaultLength: '8' });
    expect(bad.res.status).toBe(400);
    expect(pageError(bad.html)).toContain('maximumLifetimeInMinutes must be at least minimumLifetimeInMinutes');
    expect(await server.plugin.taps.getPolicy()).toEqual(before);
    const good = await b.submit(`${server.url}/admin/policy`, { csrf: csrfOf(page.html), state: 'enabled', minimumLifetimeInMinutes: '10', maximumLifetimeInMinutes: '300', defaultLifetimeInMinutes: '45', defaultLength: '10' });
    expect(good.html).toContain('The Temporary Access Pass policy was saved.');
    expect((await server.plugin.taps.getPolicy()).defaultLifetimeInMinutes).toBe(45);
    await server.plugin.taps.updatePolicy({ maximumLifetimeInMinutes: before.maximumLifetimeInMinutes, defaultLifetimeInMinutes: before.defaultLifetimeInMinutes, defaultLength: before.defaultLength }, { actor: { type: 'system', id: 'test' } });
    const reader = await consoleAs('globalreader@contoso.com', '/admin/policy');
    expect(reader.page.html).toContain('Your role lets you see the policy but not change it.');
    expect(reader.page.html).not.toContain('>Save<');
  });

  it('lets HR create a user, change their name and groups, disable them, and delete them after spelling out what that ends', async () => {
    const { b } = await consoleAs('globaladministrator@contoso.com');
    const users = await b.follow(`${server.url}/admin/users`);
    expect(users.html).toContain('Create a user');
    const form = await b.follow(`${server.url}/admin/users/new`);
    const created = await b.submit(`${server.url}/admin/users/new`, { csrf: csrfOf(form.html), userPrincipalName: 'hr-new@contoso.com', displayName: 'Harriet New', groups: 'staff, new-hires', enabled: 'on' });
    expect(created.html).toContain('The user was created.');
    const user = (await server.plugin.directory.findByUpn('hr-new@contoso.com'))!;
    expect(user.groups).toEqual(['staff', 'new-hires']);
    const taken = await b.submit(`${server.url}/admin/users/new`, { csrf: csrfOf(form.html), userPrincipalName: 'hr-new@contoso.com', displayName: 'Again', groups: '', enabled: 'on' });
    expect(taken.res.status).toBe(409);
    const invalid = await b.submit(`${server.url}/admin/users/new`, { csrf: csrfOf(form.html), userPrincipalName: 'hr-x@contoso.com', displayName: '', groups: '', enabled: 'on' });
    expect(invalid.res.status).toBe(400);

    const tap = await issueTap(server, user, { lifetimeInMinutes: 60 });
    const session = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    expect(session.callback).toBeDefined();
    expect((await silentAuthorization(rp, session.browser)).get('code')).toBeTruthy();
    const saved = await b.submit(`${server.url}/admin/users/${user.id}/edit`, { csrf: csrfOf(form.html), displayName: 'Harriet Renamed', groups: 'staff' });
    expect(saved.html).toContain('The user was saved.');
    const disabled = (await server.plugin.directory.findById(user.id))!;
    expect(disabled).toMatchObject({ displayName: 'Harriet Renamed', groups: ['staff'], accountEnabled: false });
    // Disabled: what they were signed in to has ended.
    expect((await silentAuthorization(rp, session.browser)).get('error')).toBe('login_required');

    await seedPasskey(server.redis, user.id, 'Laptop');
    const confirm = await b.follow(`${server.url}/admin/users/${user.id}/delete`);
    expect(confirm.html).toContain('ends every sign-in session, grant and token of theirs');
    expect(confirm.html).toContain('deletes their Temporary Access Pass;');
    expect(confirm.html).toContain('their 1 passkey');
    const deleted = await b.submit(`${server.url}/admin/users/${user.id}/delete`, { csrf: csrfOf(confirm.html) });
    expect(deleted.html).toContain('The user was deleted');
    expect(await server.plugin.directory.findById(user.id)).toBeUndefined();
    expect(await server.plugin.passkeys.list(user.id)).toEqual([]);

    // The help desk has none of this.
    const agent = await consoleAs('authenticationadministrator@contoso.com');
    expect(agent.page.html).not.toContain('Create a user');
    expect((await agent.b.follow(`${server.url}/admin/users/new`)).res.status).toBe(403);
  });

  it('speaks only from the message catalogue: no console page shows words that are not in it', async () => {
    const target = await freshUser(server, 'words', ['staff']);
    await issueTap(server, target, { lifetimeInMinutes: 60 });
    await seedPasskey(server.redis, target.id, 'Desk key');
    const { b, page } = await consoleAs('globaladministrator@contoso.com', `/admin/users?q=${target.userPrincipalName}`, new Browser({ 'accept-language': PSEUDO_LOCALE }));
    // The page's own data: names, user principal names, groups, roles of the test's people.
    const data = [target.displayName, target.userPrincipalName, 'staff', 'Desk key', 'globaladministrator@contoso.com', 'Member', 'Member'];
    const pages = { users: page, user: await b.follow(`${server.url}/admin/users/${target.id}`) };
    const more = {
      issue: `/admin/users/${target.id}/issue`,
      policy: '/admin/policy',
      create: '/admin/users/new',
      edit: `/admin/users/${target.id}/edit`,
      delete: `/admin/users/${target.id}/delete`,
    };
    const all: Record<string, { html: string }> = { ...pages };
    for (const [name, path] of Object.entries(more)) all[name] = await b.follow(`${server.url}${path}`);
    // A refusal too: the help desk on an administrator's page, and on the form it may not open.
    const agent = await consoleAs('authenticationadministrator@contoso.com', '/admin/users', new Browser({ 'accept-language': PSEUDO_LOCALE }));
    const admin = await findUser(server, 'globaladministrator@contoso.com');
    all.refusedOnPage = await agent.b.follow(`${server.url}/admin/users/${admin.id}`);
    all.refusedForm = await agent.b.follow(`${server.url}/admin/users/${admin.id}/issue`);
    expect(all.refusedOnPage.html).toContain('⟦');
    data.push('GlobalAdministrator', 'authenticationadministrator@contoso.com');
    for (const [name, p] of Object.entries(all)) {
      expect(p.html, name).toContain(`lang="${PSEUDO_LOCALE}"`);
      expect(untranslatedText(p.html, data), name).toEqual([]);
    }
  });

  // Last in the file: it moves the clock past the re-authentication age.
  it('asks for a fresh sign-in before a change once the sign-in is older than reauthenticationMaxAgeSeconds, then comes back', async () => {
    const target = await freshUser(server, 'reauth');
    const { b } = await consoleAs('authenticationadministrator@contoso.com', `/admin/users/${target.id}`);
    const page = await b.follow(`${server.url}/admin/users/${target.id}`);
    server.clock.advance(11 * 60_000);
    const stale = await b.request(`${server.url}/admin/users/${target.id}/revoke-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ csrf: csrfOf(page.html) }).toString(),
    });
    expect(stale.status).toBe(303);
    const to = new URL(stale.headers.get('location')!);
    expect(to.pathname).toBe('/auth');
    expect(to.searchParams.get('prompt')).toBe('login');
    expect(to.searchParams.get('client_id')).toBe('oidc-tap-admin');
    // Nothing was done yet; the person signs in again and comes back to the user's page.
    let step = await b.follow(to.href);
    if (/Email or username/.test(step.html)) step = await b.submit(formAction(step.html, step.url), { username: 'authenticationadministrator@contoso.com' });
    const back = await b.submit(formAction(step.html, step.url), { username: 'authenticationadministrator@contoso.com', password: PASSWORD });
    expect(new URL(back.url).pathname).toBe(`/admin/users/${target.id}`);
    expect(back.html).toContain('You signed in again. Repeat the change you were making.');
    const done = await b.submit(`${server.url}/admin/users/${target.id}/revoke-sessions`, { csrf: csrfOf(back.html) });
    expect(done.html).toContain('Every sign-in session of this user has ended');
  });
});
