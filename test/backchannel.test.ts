import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/config/AppConfig.js';
import { keys } from '../src/store/keys.js';
import { formAction, Browser } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { issueTap } from './support/issueTap.js';
import { LogoutReceiver } from './support/LogoutReceiver.js';
import { acceptConsent, signIn, startAuthorization } from './support/rp.js';
import { REDIRECT_URI, testConfig, TEST_CLIENT, type TestServer } from './support/testServer.js';

/*
 * The issue's back-channel logout (OpenID Connect Back-Channel Logout 1.0): an application that registers a
 * `backchannel_logout_uri` is sent a signed logout token when a session it took part in ends, whatever ended it.
 */

const SECRET = 'admin-app-secret-0123456789-0123456789';
const BACKCHANNEL_LOGOUT = 'http://schemas.openid.net/event/backchannel-logout';

const one = new LogoutReceiver();
const two = new LogoutReceiver();
beforeAll(async () => {
  await one.start();
  await two.start();
});
afterAll(async () => {
  await one.close();
  await two.close();
});

let servers: TestServer[];
useDeployment(
  {
    servers: 2,
    config: () =>
      testConfig({
        clients: [
          { ...TEST_CLIENT, backchannel_logout_uri: one.url, backchannel_logout_session_required: true },
          { ...TEST_CLIENT, client_id: 'second-rp', client_secret: 'second-rp-secret-0123456789', backchannel_logout_uri: two.url },
          apiClient('admin-app', SECRET, [...PERMISSIONS]),
        ],
      }),
  },
  (d) => ({ servers } = d),
);

async function rpFor(issuer: string, clientId: string, secret: string) {
  return client.discovery(new URL(issuer), clientId, {}, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
}

/** The user signs in with a multi-use TAP at the first RP (through the first server), then at the second (SSO, second server). */
async function signedInAtBoth(prefix: string) {
  const [a, b] = servers as [TestServer, TestServer];
  const user = await freshUser(a, prefix);
  const tap = await issueTap(a, user, { isUsableOnce: false });
  const browser = new Browser();
  const first = await signIn(await rpFor(a.url, TEST_CLIENT.client_id, TEST_CLIENT.client_secret), user.userPrincipalName, { tap: tap.temporaryAccessPass! }, {}, { browser });
  expect(first.callback).toBeDefined();
  // Single sign-on: the session signed in at the first RP; only the consent page (prompt=consent) stands between.
  const second = await startAuthorization(await rpFor(a.url, 'second-rp', 'second-rp-secret-0123456789'), {}, browser, b.url);
  expect((await acceptConsent(browser, second)).url.startsWith(REDIRECT_URI)).toBe(true);
  return { user, tap, browser };
}

async function waitFor(check: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

/** Wait for `count` more tokens at each receiver, then a little longer to see that no more come. */
async function nextTokens(before: [number, number]) {
  await waitFor(() => one.tokens.length >= before[0] + 1 && two.tokens.length >= before[1] + 1);
  await new Promise((r) => setTimeout(r, 1500));
  return [one.tokens.slice(before[0]), two.tokens.slice(before[1])] as const;
}

/** Verified against the JWKS of `issuer` (each test server has its own URL; a real deployment's share one issuer). */
async function verified(token: string, audience: string, issuer: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience, typ: 'logout+jwt' });
  expect(protectedHeader.typ).toBe('logout+jwt');
  expect(payload.events).toEqual({ [BACKCHANNEL_LOGOUT]: {} });
  expect(payload).not.toHaveProperty('nonce');
  expect(typeof payload.jti).toBe('string');
  return payload;
}

describe('back-channel logout', () => {
  it('deleting the TAP on the admin API sends each application of the session one logout token, across two servers', async () => {
    const { user, tap } = await signedInAtBoth('bcl-tap');
    const before: [number, number] = [one.tokens.length, two.tokens.length];
    const token = await appToken(servers[1]!.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    const del = await graph(servers[1]!.url, token, 'DELETE', `/users/${user.id}/authentication/temporaryAccessPassMethods/${tap.id}`);
    expect(del.status).toBe(204);
    const [atOne, atTwo] = await nextTokens(before);
    expect(atOne).toHaveLength(1);
    expect(atTwo).toHaveLength(1);
    const p1 = await verified(atOne[0]!, TEST_CLIENT.client_id, servers[1]!.url);
    const p2 = await verified(atTwo[0]!, 'second-rp', servers[1]!.url);
    expect(p1.sub).toBe(user.id);
    expect(p2.sub).toBe(user.id);
    // The session's id at each application (oidc-provider gives each its own).
    expect(typeof p1.sid).toBe('string');
    expect(typeof p2.sid).toBe('string');
    // Each delivery is in the audit log, once.
    const audits = await graph(servers[1]!.url, token, 'GET', `/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Back-channel logout'")}`);
    expect(audits.status, JSON.stringify(audits.body)).toBe(200);
    const ours = audits.body.value!.filter((r) => JSON.stringify(r).includes(user.id));
    expect(ours).toHaveLength(2);
    expect(ours.every((r) => r.result === 'success')).toBe(true);
    expect(ours.map((r) => /application (\S+):/.exec(String(r.resultReason))?.[1]).sort()).toEqual(['second-rp', TEST_CLIENT.client_id].sort());
  });

  it('revokeSignInSessions sends each application one logout token', async () => {
    const { user } = await signedInAtBoth('bcl-revoke');
    const before: [number, number] = [one.tokens.length, two.tokens.length];
    const token = await appToken(servers[0]!.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    expect((await graph(servers[0]!.url, token, 'POST', `/users/${user.id}/revokeSignInSessions`)).status).toBe(200);
    const [atOne, atTwo] = await nextTokens(before);
    expect(atOne).toHaveLength(1);
    expect(atTwo).toHaveLength(1);
    expect((await verified(atOne[0]!, TEST_CLIENT.client_id, servers[0]!.url)).sub).toBe(user.id);
    expect((await verified(atTwo[0]!, 'second-rp', servers[0]!.url)).sub).toBe(user.id);
  });

  it('deleting the user sends each application one logout token', async () => {
    const { user } = await signedInAtBoth('bcl-delete');
    const before: [number, number] = [one.tokens.length, two.tokens.length];
    const token = await appToken(servers[0]!.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    expect((await graph(servers[0]!.url, token, 'DELETE', `/users/${user.id}`)).status).toBe(204);
    const [atOne, atTwo] = await nextTokens(before);
    expect(atOne).toHaveLength(1);
    expect(atTwo).toHaveLength(1);
    expect((await verified(atOne[0]!, TEST_CLIENT.client_id, servers[0]!.url)).sub).toBe(user.id);
    expect((await verified(atTwo[0]!, 'second-rp', servers[0]!.url)).sub).toBe(user.id);
  });

  it('an application that is down is sent its logout token again, with backoff, until it takes it', async () => {
    const { user } = await signedInAtBoth('bcl-retry');
    const before: [number, number] = [one.tokens.length, two.tokens.length];
    one.failures = 2;
    const token = await appToken(servers[0]!.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    expect((await graph(servers[0]!.url, token, 'POST', `/users/${user.id}/revokeSignInSessions`)).status).toBe(200);
    // Two refusals: tried again after 1 s, then 2 s.
    await waitFor(() => one.tokens.length > before[0], 8000);
    expect(one.failures).toBe(0);
    expect(one.tokens.length - before[0]).toBe(1);
    expect(two.tokens.length - before[1]).toBe(1);
    expect((await verified(one.tokens.at(-1)!, TEST_CLIENT.client_id, servers[0]!.url)).sub).toBe(user.id);
  });

  it('signing out at the provider (RP-initiated logout) sends each application one logout token', async () => {
    const { user, browser } = await signedInAtBoth('bcl-end');
    const before: [number, number] = [one.tokens.length, two.tokens.length];
    const logout = await browser.follow(`${servers[0]!.url}/session/end`);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(logout.html)?.[1];
    const after = await browser.submit(formAction(logout.html, logout.url), { xsrf: xsrf!, logout: 'yes' });
    expect(new URL(after.url).pathname).toBe('/session/end/success');
    const [atOne, atTwo] = await nextTokens(before);
    expect(atOne).toHaveLength(1);
    expect(atTwo).toHaveLength(1);
    expect((await verified(atOne[0]!, TEST_CLIENT.client_id, servers[0]!.url)).sub).toBe(user.id);
    expect((await verified(atTwo[0]!, 'second-rp', servers[0]!.url)).sub).toBe(user.id);
    // Sent through the same queue as the others (not by oidc-provider while the browser waits): audited too.
    const token = await appToken(servers[0]!.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    const audits = await graph(servers[0]!.url, token, 'GET', `/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Back-channel logout'")}`);
    expect(audits.body.value!.filter((r) => JSON.stringify(r).includes(user.id))).toHaveLength(2);
  });
  // Last in the file: it moves the deployment's clock past the TAP's end.
  it('a TAP that runs out ends its sessions, and each application gets one logout token, with two servers sweeping', async () => {
    const { user, tap } = await signedInAtBoth('bcl-expiry');
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { sub: string; iss: string };
    const mine = (tokens: readonly string[]) => tokens.filter((t) => claims(t).sub === user.id);
    const before: [number, number] = [one.tokens.length, two.tokens.length];
    // Both servers share the clock: each one's sweep sees the TAP's end pass; only one ends it.
    servers[0]!.clock.advance(tap.lifetimeInMinutes! * 60_000);
    const [atOne, atTwo] = await nextTokens(before);
    expect(mine(atOne)).toHaveLength(1);
    expect(mine(atTwo)).toHaveLength(1);
    // Signed by whichever server swept the TAP (each test server has its own issuer URL).
    const issuer = claims(mine(atOne)[0]!).iss;
    expect(servers.map((s) => s.url)).toContain(issuer);
    const p1 = await verified(mine(atOne)[0]!, TEST_CLIENT.client_id, issuer);
    const p2 = await verified(mine(atTwo)[0]!, 'second-rp', issuer);
    expect(p1.sub).toBe(user.id);
    expect(typeof p1.sid).toBe('string');
    expect(p2.sub).toBe(user.id);
    // Its sessions are gone at once (the Redis records would otherwise have lived to the TAP's end).
    expect(await servers[0]!.redis.exists(keys.tapIndex(user.id, tap.id!))).toBe(0);
    const token = await appToken(servers[0]!.url, 'admin-app', SECRET, PERMISSIONS.join(' '));
    const audits = await graph(servers[0]!.url, token, 'GET', `/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Temporary Access Pass expired'")}`);
    expect(audits.status, JSON.stringify(audits.body)).toBe(200);
    const ours = audits.body.value!.filter((r) => JSON.stringify(r).includes(user.id));
    expect(ours).toHaveLength(1);
    expect(JSON.stringify(ours[0])).toContain(tap.id!);
  });
});
