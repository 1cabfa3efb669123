import { decodeJwt } from 'jose';
import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/config/AppConfig.js';
import type { User } from '../src/directory/User.js';
import { Browser, pageError } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { findUser } from './support/findUser.js';
import { formOptions } from './support/formOptions.js';
import { freshUser } from './support/freshUser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { issueTap } from './support/issueTap.js';
import { useLogoutReceiver } from './support/useLogoutReceiver.js';
import { redeem, refreshError, signIn, signInWithPassword, startAuthorization } from './support/rp.js';
import { silentAuthorization } from './support/silentAuthorization.js';
import type { RequestOptions } from './support/SoftAuthenticator.ts';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI, testConfig, TEST_CLIENT, TEST_USERS, type TestServer } from './support/testServer.js';

/*
 * The issue's "user disabled": Graph's `accountEnabled: false` refuses every sign-in of the user and ends what
 * they are signed in to, with logout tokens, as revokeSignInSessions does. The person is told so only once they
 * have proved who they are; before that a disabled account answers as any other (docs/rules.md, "Signing in with
 * a TAP": every refusal shows one message).
 */

const SECRET = 'admin-app-secret-0123456789-0123456789';
const PASSWORD = 'correct horse battery staple';
const DISABLED = 'Your account is disabled. Contact your help desk.';

const receiver = useLogoutReceiver();

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    // WebAuthn needs a host name, not an IP address.
    host: 'localhost',
    config: () =>
      testConfig({
        clients: [{ ...TEST_CLIENT, backchannel_logout_uri: receiver.url }, apiClient('admin-app', SECRET, [...PERMISSIONS])],
        users: [...TEST_USERS, { userPrincipalName: 'gone@contoso.com', displayName: 'Gone Away', password: PASSWORD, accountEnabled: false }],
      }),
  },
  (d) => ({ server, rp } = d),
);

const token = () => appToken(server.url, 'admin-app', SECRET, PERMISSIONS.join(' '));

async function setEnabled(user: User, accountEnabled: boolean) {
  const res = await graph(server.url, await token(), 'PATCH', `/users/${user.id}`, { accountEnabled });
  expect(res.status, JSON.stringify(res.body)).toBe(204);
}

async function waitFor(check: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

const latestSignIn = async (user: User) => (await server.plugin.audit.querySignIns({ filter: `userId eq '${user.id}'`, top: 1 })).value[0];

describe('a disabled account', () => {
  it('PATCH accountEnabled false ends the sessions, grants and tokens at once, with a logout token; GET shows it', async () => {
    const user = await freshUser(server, 'dis-api');
    const tap = await issueTap(server, user, { isUsableOnce: false });
    const s = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    const tokens = await redeem(rp, s);
    expect((await graph(server.url, await token(), 'GET', `/users/${user.id}`)).body.accountEnabled).toBe(true);
    const before = receiver.tokens.length;

    await setEnabled(user, false);

    expect((await graph(server.url, await token(), 'GET', `/users/${user.id}`)).body.accountEnabled).toBe(false);
    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    expect((await silentAuthorization(rp, s.browser)).get('error')).toBe('login_required');
    await waitFor(() => receiver.tokens.length > before);
    await new Promise((r) => setTimeout(r, 1000));
    const sent = receiver.tokens.slice(before).map((t) => decodeJwt(t)).filter((t) => t.sub === user.id);
    expect(sent).toHaveLength(1);
  });

  it('takes accountEnabled at creation (POST /users) and shows it; a user created without it is enabled', async () => {
    const t = await token();
    const off = await graph(server.url, t, 'POST', '/users', { userPrincipalName: 'created-off@contoso.com', displayName: 'Created Off', accountEnabled: false });
    expect(off.status, JSON.stringify(off.body)).toBe(201);
    expect(off.body.accountEnabled).toBe(false);
    expect((await graph(server.url, t, 'GET', `/users/${String(off.body.id)}`)).body.accountEnabled).toBe(false);
    const on = await graph(server.url, t, 'POST', '/users', { userPrincipalName: 'created-on@contoso.com', displayName: 'Created On' });
    expect(on.body.accountEnabled).toBe(true);
    expect((await graph(server.url, t, 'PATCH', `/users/${String(on.body.id)}`, { accountEnabled: 'no' })).status).toBe(400);
  });

  it('refuses a TAP sign-in: a wrong passcode gets the usual message, the right one the disabled page, and nothing is signed in', async () => {
    const user = await freshUser(server, 'dis-tap');
    const enabled = await freshUser(server, 'dis-tap-control');
    const tap = await issueTap(server, user, { isUsableOnce: false });
    await issueTap(server, enabled, { isUsableOnce: false });
    await setEnabled(user, false);

    // Before the right passcode, a disabled account is indistinguishable from an enabled one.
    const wrong = await signIn(rp, user.userPrincipalName, { tap: 'WRONGPASS' });
    const wrongControl = await signIn(rp, enabled.userPrincipalName, { tap: 'WRONGPASS' });
    expect(wrong.done.res.status).toBe(wrongControl.done.res.status);
    expect(pageError(wrong.done.html)).toBe(pageError(wrongControl.done.html));
    expect(wrong.done.html).not.toContain('disabled');
    // The identifier step too leads both to the TAP step.
    expect(wrong.step.html).toContain('name="tap"');
    expect(wrongControl.step.html).toContain('name="tap"');

    const right = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    expect(right.callback).toBeUndefined();
    expect(right.done.res.status).toBe(403);
    expect(right.done.html).toContain(DISABLED);
    expect((await silentAuthorization(rp, right.browser)).get('error')).toBe('login_required');
    expect(await latestSignIn(user)).toMatchObject({ status: { errorCode: 50057, failureReason: 'UserDisabled' }, 'oidcTap.credentialId': tap.id });
  });

  it('refuses a password sign-in of a user the config file seeds disabled, after the right password only', async () => {
    const gone = await findUser(server, 'gone@contoso.com');
    expect(gone.accountEnabled).toBe(false);
    expect((await graph(server.url, await token(), 'GET', `/users/${gone.id}`)).body.accountEnabled).toBe(false);

    const wrong = await signInWithPassword(rp, 'gone@contoso.com', 'not the password');
    const wrongControl = await signInWithPassword(rp, 'pat@contoso.com', 'not the password');
    expect(wrong.done.res.status).toBe(wrongControl.done.res.status);
    expect(pageError(wrong.done.html)).toBe(pageError(wrongControl.done.html));

    const right = await signInWithPassword(rp, 'gone@contoso.com', PASSWORD);
    expect(right.callback).toBeUndefined();
    expect(right.done.res.status).toBe(403);
    expect(right.done.html).toContain(DISABLED);
    expect(await latestSignIn(gone)).toMatchObject({ authenticationMethodsUsed: ['Password'], status: { errorCode: 50057, failureReason: 'UserDisabled' } });
  });

  it('refuses a passkey sign-in while disabled, and lets it in again once enabled', async () => {
    const user = await freshUser(server, 'dis-pk');
    const tap = await issueTap(server, user, { isUsableOnce: false });
    const onboarded = await tapToPasskey(rp, user.userPrincipalName, tap.temporaryAccessPass!);
    expect(onboarded.done.url.startsWith(REDIRECT_URI)).toBe(true);
    await setEnabled(user, false);

    const passkeySignIn = async () => {
      const a = await startAuthorization(rp, {}, new Browser());
      const assertion = onboarded.authenticator.get(formOptions<RequestOptions>(a.html, 'passkey-form'), onboarded.credential);
      return a.browser.submit(`${a.url}/method/passkey`, { response: assertion });
    };
    const refused = await passkeySignIn();
    expect(refused.res.status).toBe(403);
    expect(refused.html).toContain(DISABLED);
    expect(await latestSignIn(user)).toMatchObject({ authenticationMethodsUsed: ['Passkey'], status: { errorCode: 50057, failureReason: 'UserDisabled' } });

    await setEnabled(user, true);
    const again = await passkeySignIn();
    expect(again.url.startsWith(REDIRECT_URI)).toBe(true);
  });

  it('ends single sign-on and refresh when the directory itself reports the account disabled (a host directory, no admin API call)', async () => {
    const user = await freshUser(server, 'dis-host');
    const tap = await issueTap(server, user, { isUsableOnce: false });
    const s = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    const tokens = await redeem(rp, s);
    // The security-info page, signed in by single sign-on from that session.
    const page = await s.browser.follow(`${server.url}/account/security-info`);
    expect(page.html).toMatch(/name="csrf"/);
    // Changed where the users live, as a host's directory would report it: nothing is revoked by us.
    const current = await findUser(server, user.userPrincipalName);
    expect(await server.plugin.directory.update({ ...current, accountEnabled: false }, current, { actor: { type: 'system', id: 'test' } })).toBe(true);

    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    expect((await silentAuthorization(rp, s.browser)).get('error')).toBe('login_required');
    // The page's own session ends too: the page asks who is signing in again.
    const after = await s.browser.follow(`${server.url}/account/security-info`);
    expect(after.html).not.toMatch(/name="csrf"/);
    expect(after.html).toContain('Email or username');
  });
});
