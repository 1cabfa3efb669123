import * as client from 'openid-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys, storedModelId } from '../src/store/keys.js';
import { useDeployment } from './support/deployment.js';
import { redeem, signIn, signInWithPassword, startAuthorization, refreshError } from './support/rp.js';
import { type TestServer } from './support/testServer.js';
import { findUser } from './support/findUser.js';
import { issueTap } from './support/issueTap.js';
import { silentAuthorization } from './support/silentAuthorization.js';

/**
 * docs/rules.md, "Signing in with a TAP": "The session, the grant and every token (ID, access, refresh) obtained from a TAP sign-in
 * expire no later than the TAP itself. After that the user must sign in again with another method."
 */

const PASSWORD = 'correct horse battery staple';
/** Clock skew allowed between the TAP's end and a lifetime, in the "at or before" direction only. */
const SLACK_S = 2;

let server: TestServer;
let rp: client.Configuration;
useDeployment({}, (d) => ({ server, rp } = d));
afterEach(() => {
  vi.useRealTimers();
  server.clock.offsetMs = 0;
});

const nowSec = () => Date.now() / 1000;

/** Issue a TAP and return its passcode and its end (seconds since the epoch). */
async function tapEnding(upn: string, lifetimeInMinutes: number) {
  const u = await findUser(server, upn);
  const tap = await issueTap(server, u, { lifetimeInMinutes });
  return { user: u, tap, passcode: tap.temporaryAccessPass!, endSec: Date.parse(tap.startDateTime) / 1000 + lifetimeInMinutes * 60 };
}

/** The session the browser holds: its id, the stored payload's exp, and when Redis forgets it. */
async function sessionOf(browser: { cookies: Map<string, string> }) {
  const id = browser.cookies.get('_session');
  expect(id, 'the browser holds a session cookie').toBeTruthy();
  const key = keys.model('Session', id!);
  const [raw, pttl] = await Promise.all([server.redis.hget(key, 'p'), server.redis.pttl(key)]);
  expect(raw, 'the session is stored').toBeTruthy();
  const payload = JSON.parse(raw!) as { exp: number; accountId?: string; amr?: string[] };
  return { id, payload, expiresAtSec: nowSec() + pttl / 1000, pttl };
}


describe('lifetimes of what a TAP sign-in obtains', () => {
  it('ends the access token, ID token, refresh token, grant and session no later than the TAP (15 minutes)', async () => {
    const { user: u, tap, passcode, endSec } = await tapEnding('jdoe@contoso.com', 15);
    const flow = await signIn(rp, 'jdoe@contoso.com', { tap: passcode });
    const tokens = await redeem(rp, flow);
    const t = nowSec();

    // Access token: expires_in counts from the response.
    expect(tokens.expires_in).toBeDefined();
    expect(t + tokens.expires_in!).toBeLessThanOrEqual(endSec + SLACK_S);
    expect(t + tokens.expires_in!).toBeGreaterThan(endSec - 120);
    const access = await client.tokenIntrospection(rp, tokens.access_token);
    expect(access.active).toBe(true);
    expect(access.exp!).toBeLessThanOrEqual(endSec + SLACK_S);

    // ID token.
    const idExp = tokens.claims()!.exp;
    expect(idExp).toBeLessThanOrEqual(endSec + SLACK_S);

    // Refresh token, as the provider itself reports it.
    expect(tokens.refresh_token).toBeDefined();
    const refresh = await client.tokenIntrospection(rp, tokens.refresh_token!);
    expect(refresh.active).toBe(true);
    expect(refresh.exp!).toBeLessThanOrEqual(endSec + SLACK_S);
    expect(refresh.exp!).toBeGreaterThan(endSec - 120);

    // Session: the stored payload's exp and the Redis key's own expiry.
    const session = await sessionOf(flow.browser);
    expect(session.payload.accountId).toBe(u.id);
    expect(session.payload.amr).toContain('tap');
    expect(session.payload.exp).toBeLessThanOrEqual(endSec + SLACK_S);
    expect(session.expiresAtSec).toBeLessThanOrEqual(endSec + SLACK_S);
    expect(session.expiresAtSec).toBeGreaterThan(endSec - 120);

    // Grant: indexed under the TAP, and ending with it.
    const members = await server.redis.smembers(keys.tapIndex(u.id, tap.id));
    const grants = members.filter((m) => m.startsWith('Grant:'));
    expect(grants.length).toBeGreaterThan(0);
    expect(members).toContain(`Session:${storedModelId('Session', session.id!)}`);
    for (const m of grants) {
      const key = keys.storedModel('Grant', m.slice('Grant:'.length));
      const grant = JSON.parse((await server.redis.hget(key, 'p'))!) as { exp: number };
      expect(grant.exp).toBeLessThanOrEqual(endSec + SLACK_S);
      expect(nowSec() + (await server.redis.pttl(key)) / 1000).toBeLessThanOrEqual(endSec + SLACK_S);
    }

    // Tokens from a refresh are capped the same way.
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    const t2 = nowSec();
    expect(t2 + refreshed.expires_in!).toBeLessThanOrEqual(endSec + SLACK_S);
    expect(refreshed.claims()!.exp).toBeLessThanOrEqual(endSec + SLACK_S);
    const rotated = await client.tokenIntrospection(rp, refreshed.refresh_token!);
    expect(rotated.active).toBe(true);
    expect(rotated.exp!).toBeLessThanOrEqual(endSec + SLACK_S);

    // A later authorization in the same TAP session (single sign-on, a new grant) ends with the TAP too.
    const again = await startAuthorization(rp, {}, flow.browser);
    expect(again.url.startsWith('http://127.0.0.1:9/cb?')).toBe(true);
    const later = await redeem(rp, { ...again, callback: again.url });
    expect(nowSec() + later.expires_in!).toBeLessThanOrEqual(endSec + SLACK_S);
    expect(later.claims()!.exp).toBeLessThanOrEqual(endSec + SLACK_S);
    const laterRefresh = await client.tokenIntrospection(rp, later.refresh_token!);
    expect(laterRefresh.active).toBe(true);
    expect(laterRefresh.exp!).toBeLessThanOrEqual(endSec + SLACK_S);
    expect((await sessionOf(flow.browser)).expiresAtSec).toBeLessThanOrEqual(endSec + SLACK_S);
  });

  it('does not cap a password sign-in to a TAP lifetime (config defaults: 1 h access, 14 d refresh and session)', async () => {
    const flow = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD);
    const tokens = await redeem(rp, flow);
    expect(tokens.claims()!.amr).toEqual(['pwd']);
    const t = nowSec();
    const fifteenMinutes = t + 15 * 60;

    expect(tokens.expires_in!).toBeGreaterThan(50 * 60);
    expect(tokens.claims()!.exp).toBeGreaterThan(fifteenMinutes + 30 * 60);
    const refresh = await client.tokenIntrospection(rp, tokens.refresh_token!);
    expect(refresh.active).toBe(true);
    expect(refresh.exp!).toBeGreaterThan(t + 13 * 24 * 3600);

    const session = await sessionOf(flow.browser);
    expect(session.payload.exp).toBeGreaterThan(t + 13 * 24 * 3600);
    expect(session.expiresAtSec).toBeGreaterThan(t + 13 * 24 * 3600);
  });

  it('after the TAP has ended: refresh is invalid_grant, the access token is inactive, prompt=none is login_required; a password session lives on', async () => {
    const { passcode } = await tapEnding('contractor@contoso.com', 15);
    const flow = await signIn(rp, 'contractor@contoso.com', { tap: passcode });
    const tokens = await redeem(rp, flow);
    const pw = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD);
    const pwTokens = await redeem(rp, pw);

    // Controls while the TAP lasts: single sign-on and refresh work.
    expect((await silentAuthorization(rp, flow.browser)).get('code')).toBeTruthy();
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();

    // 16 minutes later for the provider (Date) and for the TAP service (TestClock follows Date.now).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    const contractor = await findUser(server, 'contractor@contoso.com');
    expect((await server.plugin.taps.get(contractor))!.methodUsabilityReason).toBe('Expired');

    expect(await refreshError(rp, refreshed.refresh_token!)).toBe('invalid_grant');
    expect((await client.tokenIntrospection(rp, refreshed.access_token)).active).toBe(false);
    const silent = await silentAuthorization(rp, flow.browser);
    expect(silent.get('error')).toBe('login_required');
    expect(silent.get('code')).toBeNull();

    // The password sign-in of another user, made at the same time, is still good.
    expect(await refreshError(rp, pwTokens.refresh_token!)).toBeUndefined();
    expect((await silentAuthorization(rp, pw.browser)).get('code')).toBeTruthy();
  });
});
