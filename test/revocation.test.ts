import * as client from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import type { Browser } from './support/Browser.js';
import { redeem, signIn, signInWithPassword, startAuthorization, refreshError } from './support/rp.js';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, type TestServer } from './support/testServer.js';
import { findUser } from './support/findUser.js';
import { issueTap } from './support/issueTap.js';
import { silentAuthorization } from './support/silentAuthorization.js';
import { byTest } from './support/byTest.js';

/**
 * docs/rules.md, "One TAP": deleting a usable TAP, or replacing it with a new one, revokes at once every session, grant and
 * refresh token obtained by signing in with it; nothing else. Plus the revocation rules of the token endpoint
 * itself: a code or a rotated refresh token is good exactly once, even under concurrent use.
 */

const PASSWORD = 'correct horse battery staple';
const ROUNDS = 5;
const PARALLEL = 10;

let server: TestServer;
let rp: client.Configuration;
useDeployment({}, (d) => ({ server, rp } = d));
afterEach(() => {
  server.clock.offsetMs = 0;
});

/** What a relying party holds after a sign-in: the browser (session cookie) and its tokens. */
interface Signed {
  browser: Browser;
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
}

async function tapSignIn(upn: string, lifetimeInMinutes = 60): Promise<Signed & { tapId: string }> {
  const tap = await issueTap(server, upn, { lifetimeInMinutes });
  const flow = await signIn(rp, upn, { tap: tap.temporaryAccessPass! });
  const tokens = await redeem(rp, flow);
  expect(tokens.claims()!.amr).toContain('tap');
  return { browser: flow.browser, tokens, tapId: tap.id };
}

async function passwordSignIn(upn = 'pat@contoso.com'): Promise<Signed> {
  const flow = await signInWithPassword(rp, upn, PASSWORD);
  const tokens = await redeem(rp, flow);
  expect(tokens.claims()!.amr).toEqual(['pwd']);
  return { browser: flow.browser, tokens };
}


async function isActive(token: string): Promise<boolean> {
  return (await client.tokenIntrospection(rp, token)).active;
}

/**
 * Everything a sign-in obtained is still good. Refresh rotates the refresh token, so `s.tokens` is updated.
 * Single sign-on is checked first: a refresh never touches the session.
 */
async function expectAlive(s: Signed): Promise<void> {
  expect(await isActive(s.tokens.access_token)).toBe(true);
  expect((await silentAuthorization(rp, s.browser)).get('code')).toBeTruthy();
  s.tokens = await client.refreshTokenGrant(rp, s.tokens.refresh_token!);
  expect(s.tokens.access_token).toBeTruthy();
}

/** Everything a sign-in obtained is revoked. */
async function expectRevoked(s: Signed): Promise<void> {
  expect(await isActive(s.tokens.access_token)).toBe(false);
  expect(await refreshError(rp, s.tokens.refresh_token!)).toBe('invalid_grant');
  const silent = await silentAuthorization(rp, s.browser);
  expect(silent.get('error')).toBe('login_required');
  expect(silent.get('code')).toBeNull();
}

describe('revocation when a TAP is deleted or replaced', () => {
  it('deleting a usable TAP revokes the session, grant, access and refresh tokens obtained with it', async () => {
    const s = await tapSignIn('jdoe@contoso.com');
    await expectAlive(s);
    await server.plugin.taps.delete(await findUser(server, 'jdoe@contoso.com'), s.tapId, byTest);
    await expectRevoked(s);
  });

  it('also revokes grants that a TAP session gave later by single sign-on, without a new sign-in', async () => {
    const s = await tapSignIn('jdoe@contoso.com');
    const again = await startAuthorization(rp, {}, s.browser); // prompt=consent: a new grant, no password or TAP asked
    expect(again.url.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const later: Signed = { browser: s.browser, tokens: await redeem(rp, { ...again, callback: again.url }) };
    await expectAlive(later);
    await server.plugin.taps.delete(await findUser(server, 'jdoe@contoso.com'), undefined, byTest);
    await expectRevoked(later);
    await expectRevoked(s);
  });

  it('replacing a usable TAP with a new one revokes what the first one obtained, not the new one', async () => {
    const first = await tapSignIn('jdoe@contoso.com');
    await expectAlive(first);
    const second = await tapSignIn('jdoe@contoso.com'); // creating the second TAP replaces the first
    expect(second.tapId).not.toBe(first.tapId);
    await expectRevoked(first);
    await expectAlive(second);
  });

  it('deleting an expired TAP leaves the same user’s password session alone', async () => {
    const pat = await findUser(server, 'pat@contoso.com');
    const pw = await passwordSignIn();
    const tap = await server.plugin.taps.create(pat, { lifetimeInMinutes: 10 }, byTest);
    server.clock.advance(11 * 60_000);
    expect((await server.plugin.taps.get(pat))!.methodUsabilityReason).toBe('Expired');
    await server.plugin.taps.delete(pat, tap.id, byTest);
    expect(await server.plugin.taps.get(pat)).toBeUndefined();
    await expectAlive(pw);
  });

  it('replacing an expired TAP leaves the same user’s password session alone', async () => {
    const pat = await findUser(server, 'pat@contoso.com');
    const pw = await passwordSignIn();
    await server.plugin.taps.create(pat, { lifetimeInMinutes: 10 }, byTest);
    server.clock.advance(11 * 60_000);
    await server.plugin.taps.create(pat, { lifetimeInMinutes: 10 }, byTest);
    await expectAlive(pw);
  });

  it('deleting or replacing a usable TAP leaves the same user’s password session alone', async () => {
    const pat = await findUser(server, 'pat@contoso.com');
    const pw = await passwordSignIn();
    const viaTap = await tapSignIn('pat@contoso.com');
    await server.plugin.taps.create(pat, { lifetimeInMinutes: 60 }, byTest); // replace
    await expectRevoked(viaTap);
    await expectAlive(pw);
    const again = await tapSignIn('pat@contoso.com');
    await server.plugin.taps.delete(pat, undefined, byTest);
    await expectRevoked(again);
    await expectAlive(pw);
  });

  it('deleting one user’s TAP leaves another user’s TAP and password sign-ins alone', async () => {
    const jdoe = await tapSignIn('jdoe@contoso.com');
    const fed = await tapSignIn('fed@fabrikam.test');
    const pat = await passwordSignIn();
    await server.plugin.taps.delete(await findUser(server, 'jdoe@contoso.com'), undefined, byTest);
    await expectRevoked(jdoe);
    await expectAlive(fed);
    await expectAlive(pat);
  });
});

describe('revoking an account', () => {
  it('revokeAccount ends every session and grant of the user, TAP and password alike, and no one else’s', async () => {
    const pat = await findUser(server, 'pat@contoso.com');
    const pw = await passwordSignIn();
    const viaTap = await tapSignIn('pat@contoso.com');
    const other = await tapSignIn('contractor@contoso.com');
    expect(await server.plugin.revoker.revokeAccount(pat.id)).toBeGreaterThanOrEqual(4);
    await expectRevoked(pw);
    await expectRevoked(viaTap);
    await expectAlive(other);
  });
});

/** POST to the token endpoint as the test client (client_secret_basic), without openid-client's checks. */
async function tokenRequest(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const basic = Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64');
  const res = await fetch(rp.serverMetadata().token_endpoint!, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A fresh authorization code (password sign-in, so the TAP tests above do not interfere) and its verifier. */
async function freshCode(): Promise<{ code: string; verifier: string }> {
  const flow = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD);
  const code = new URL(flow.callback!).searchParams.get('code')!;
  expect(code).toBeTruthy();
  return { code, verifier: flow.verifier };
}

function codeGrant(c: { code: string; verifier: string }) {
  return tokenRequest({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT_URI, code_verifier: c.verifier });
}

describe('one-time use at the token endpoint', () => {
  it('refuses a code redeemed a second time with invalid_grant, and revokes the tokens of the first redemption', async () => {
    const c = await freshCode();
    const first = await codeGrant(c);
    expect(first.status).toBe(200);
    const access = String(first.body.access_token);
    const refresh = String(first.body.refresh_token);
    expect(await isActive(access)).toBe(true);

    const second = await codeGrant(c);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect(second.body.access_token).toBeUndefined();

    // RFC 6749 §4.1.2: the tokens issued from a code used twice should be revoked; oidc-provider does so.
    expect(await isActive(access)).toBe(false);
    expect(await refreshError(rp, refresh)).toBe('invalid_grant');
  });

  it(`gives exactly one success when one code is sent in ${PARALLEL} parallel token requests (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await freshCode();
      const results = await Promise.all(Array.from({ length: PARALLEL }, () => codeGrant(c)));
      const ok = results.filter((r) => r.status === 200);
      expect(ok, `round ${round}: ${JSON.stringify(results.map((r) => r.status))}`).toHaveLength(1);
      expect(ok[0]!.body.access_token).toBeTruthy();
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(400);
        expect(r.body.error).toBe('invalid_grant');
      }
    }
  });

  it(`gives exactly one success when one refresh token is sent in ${PARALLEL} parallel refresh requests (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await freshCode();
      const issued = await codeGrant(c);
      expect(issued.status).toBe(200);
      const refreshToken = String(issued.body.refresh_token);
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, () => tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken })),
      );
      const ok = results.filter((r) => r.status === 200);
      expect(ok, `round ${round}: ${JSON.stringify(results.map((r) => r.status))}`).toHaveLength(1);
      expect(ok[0]!.body.refresh_token).toBeTruthy();
      expect(ok[0]!.body.refresh_token).not.toBe(refreshToken);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(400);
        expect(r.body.error).toBe('invalid_grant');
      }
      // The rotated-away token stays spent.
      expect(await refreshError(rp, refreshToken)).toBe('invalid_grant');
    }
  });
});
