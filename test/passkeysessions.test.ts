import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/config/AppConfig.js';
import type { User } from '../src/directory/User.js';
import { Browser } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { formOptions } from './support/formOptions.js';
import { freshUser } from './support/freshUser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { issueTap } from './support/issueTap.js';
import { useLogoutReceiver } from './support/useLogoutReceiver.js';
import { acceptConsent, redeem, refreshError, signInWithPassword, startAuthorization } from './support/rp.js';
import { silentAuthorization } from './support/silentAuthorization.js';
import type { RequestOptions, SoftAuthenticator, SoftCredential } from './support/SoftAuthenticator.ts';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI, testConfig, TEST_CLIENT, type TestServer } from './support/testServer.js';

/*
 * The issue: deleting a passkey (a lost one, by an administrator or by its owner) ends the sessions, grants and
 * tokens obtained by signing in with it, as deleting a TAP does; the applications signed in to are told by
 * back-channel logout.
 */

const SECRET = 'admin-app-secret-0123456789-0123456789';
const PASSWORD = 'correct horse battery staple';

const receiver = useLogoutReceiver();

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    // WebAuthn needs a host name, not an IP address.
    host: 'localhost',
    config: () =>
      testConfig({
        clients: [{ ...TEST_CLIENT, backchannel_logout_uri: receiver.url, backchannel_logout_session_required: true }, apiClient('admin-app', SECRET, [...PERMISSIONS])],
      }),
  },
  (d) => ({ server, rp } = d),
);

/** The user's passkey registered through a TAP sign-in; that sign-in (the confirmation) is itself a passkey sign-in. */
async function onboard(user: User) {
  const tap = await issueTap(server, user, { isUsableOnce: false });
  const s = await tapToPasskey(rp, user.userPrincipalName, tap.temporaryAccessPass!);
  expect(s.done.url.startsWith(REDIRECT_URI)).toBe(true);
  const tokens = await redeem(rp, { ...s, callback: s.done.url });
  return { ...s, tokens };
}

/** A username-less sign-in with the passkey from the identifier page, in a browser of its own. */
async function signInWithPasskey(authenticator: SoftAuthenticator, credential: SoftCredential) {
  const a = await startAuthorization(rp, {}, new Browser());
  const assertion = authenticator.get(formOptions<RequestOptions>(a.html, 'passkey-form'), credential);
  const done = await acceptConsent(a.browser, await a.browser.submit(`${a.url}/method/passkey`, { response: assertion }));
  expect(done.url.startsWith(REDIRECT_URI)).toBe(true);
  return { ...a, tokens: await redeem(rp, { ...a, callback: done.url }) };
}

/** Refresh works (and the refreshed tokens are kept: a refresh token is used once) and single sign-on does. */
async function stillSignedIn(s: { browser: Browser; tokens: client.TokenEndpointResponse }) {
  s.tokens = await client.refreshTokenGrant(rp, s.tokens.refresh_token!);
  expect((await silentAuthorization(rp, s.browser)).get('code')).toBeTruthy();
}

async function signedOut(s: { browser: Browser; tokens: client.TokenEndpointResponse }) {
  expect(await refreshError(rp, s.tokens.refresh_token!)).toBe('invalid_grant');
  expect((await client.tokenIntrospection(rp, s.tokens.access_token)).active).toBe(false);
  expect((await silentAuthorization(rp, s.browser)).get('error')).toBe('login_required');
}

async function waitFor(check: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

describe('deleting a passkey ends what signing in with it obtained', () => {
  it('through the admin API: refresh is invalid_grant, the access token inactive, prompt=none login_required, and the app gets one logout token per ended session; another passkey and a password live on', async () => {
    const user = await freshUser(server, 'lost-pk');
    const lost = await onboard(user);
    const again = await signInWithPasskey(lost.authenticator, lost.credential);
    const other = await onboard(user);
    const password = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD);
    const pw = { browser: password.browser, tokens: await redeem(rp, password) };
    for (const s of [lost, again, other, pw]) await stillSignedIn(s);

    const token = await appToken(server.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    const list = await graph(server.url, token, 'GET', `/users/${user.id}/authentication/fido2Methods`);
    // Listed oldest first: the passkey of the first onboarding is the lost one.
    const lostId = (await server.plugin.passkeys.list(user.id))[0]!.id;
    expect((list.body.value as { id: string }[]).map((m) => m.id)).toContain(lostId);
    const before = receiver.tokens.length;
    expect((await graph(server.url, token, 'DELETE', `/users/${user.id}/authentication/fido2Methods/${encodeURIComponent(lostId)}`)).status).toBe(204);

    await signedOut(lost);
    await signedOut(again);
    await stillSignedIn(other);
    await stillSignedIn(pw);

    await waitFor(() => receiver.tokens.length >= before + 2);
    await new Promise((r) => setTimeout(r, 1000));
    // One logout token per ended session (the onboarding's and the later sign-in's), each for this user.
    const sent = receiver.tokens.slice(before).map((t) => decodeJwt(t));
    expect(sent).toHaveLength(2);
    for (const t of sent) expect(t.sub).toBe(user.id);
    expect(new Set(sent.map((t) => t.sid)).size).toBe(2);
  });

  it("ends a grant given later by single sign-on from the passkey's session too", async () => {
    const user = await freshUser(server, 'sso-pk');
    const lost = await onboard(user);
    // The same browser asks again (prompt=consent): no sign-in, only a new grant made from the session.
    const a = await startAuthorization(rp, {}, lost.browser);
    const done = await acceptConsent(a.browser, a);
    expect(done.url.startsWith(REDIRECT_URI)).toBe(true);
    const sso = { browser: lost.browser, tokens: await redeem(rp, { ...a, callback: done.url }) };
    await stillSignedIn(sso);

    const passkey = (await server.plugin.passkeys.list(user.id))[0]!;
    const token = await appToken(server.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    expect((await graph(server.url, token, 'DELETE', `/users/${user.id}/authentication/fido2Methods/${encodeURIComponent(passkey.id)}`)).status).toBe(204);

    await signedOut(sso);
    await signedOut(lost);
  });

  it("by its owner on the security-info page: the passkey's sessions end, the other passkey's (the page's own) live on", async () => {
    const user = await freshUser(server, 'own-pk');
    const lost = await onboard(user);
    const again = await signInWithPasskey(lost.authenticator, lost.credential);
    const other = await onboard(user);
    const lostId = (await server.plugin.passkeys.list(user.id))[0]!.id;

    // Signed in to the page by single sign-on from the other passkey's session; the page's own delete form.
    const page = await other.browser.follow(`${server.url}/account/security-info`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1];
    expect(csrf).toBeDefined();
    const deleted = await other.browser.submit(`${server.url}/account/security-info/passkeys/${encodeURIComponent(lostId)}/delete`, { csrf: csrf! });
    expect(deleted.res.status).toBe(200);
    expect((await server.plugin.passkeys.list(user.id)).map((p) => p.id)).not.toContain(lostId);

    await signedOut(lost);
    await signedOut(again);
    await stillSignedIn(other);
  });
});

describe('the sign-ins log of a passkey sign-in', () => {
  it('names the passkey that signed in: its credential id, authenticator model (AAGUID) and name', async () => {
    const user = await freshUser(server, 'log-pk');
    const s = await onboard(user);
    await signInWithPasskey(s.authenticator, s.credential);
    const passkey = (await server.plugin.passkeys.list(user.id))[0]!;
    const { value } = await server.plugin.audit.querySignIns({ filter: `userPrincipalName eq '${user.userPrincipalName}'` });
    const viaPasskey = value.filter((r) => (r.authenticationMethodsUsed as string[]).includes('Passkey'));
    expect(viaPasskey).toHaveLength(1);
    expect(viaPasskey[0]).toMatchObject({
      userId: user.id,
      status: { errorCode: 0 },
      'oidcTap.credentialId': passkey.id,
      'oidcTap.credentialAaguid': passkey.aaguid,
      authenticationDetails: [{ authenticationMethod: 'Passkey', authenticationMethodDetail: passkey.name, succeeded: true }],
    });
    // The TAP sign-in before it names its TAP the same way.
    const viaTap = value.find((r) => (r.authenticationMethodsUsed as string[]).includes('Temporary Access Pass'));
    expect(viaTap?.['oidcTap.credentialId']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
