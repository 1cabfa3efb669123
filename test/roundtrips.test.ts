import * as client from 'openid-client';
import Koa from 'koa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RedisProbe } from '../bench/RedisProbe.ts';
import { Browser, formAction } from './support/Browser.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { formOptions } from './support/formOptions.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { acceptConsent, redeem, signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import type { RequestOptions } from './support/SoftAuthenticator.ts';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI } from './support/testServer.js';

/*
 * Issue #18: a sign-in's cost is mostly its Redis round trips. Budgets, as upper bounds (Redis counts one network
 * read per pipelined batch; a busy Redis may read two batches at once, never one in two): a TAP sign-in from the
 * authorization request to its tokens at most 30 round trips, a passkey sign-in 25, a refresh grant 6. The bench
 * (`npm run bench`, docs/benchmarks.md) counts the same way, with MONITOR, step by step.
 */

let d: Deployment;
useDeployment({ host: 'localhost' }, (x) => (d = x));

let probe: RedisProbe | undefined;
afterAll(() => probe?.close());

/** Redis's network reads while `work` runs alone (the server's background loops stopped), less the probe's own. */
async function roundTrips(work: () => Promise<unknown>): Promise<number> {
  probe ??= await RedisProbe.open(d.redis.url);
  const before = await probe.mark('before');
  await work();
  const after = await probe.mark('after');
  return after - before - 1;
}

describe('Redis round trips per flow', () => {
  it('a TAP sign-in takes at most 30, a passkey sign-in 25, a refresh grant 6', async () => {
    // Nothing but the flows on this Redis: the expiry sweep and the delivery loops would add reads of their own.
    await d.server.plugin.close();
    const user = await freshUser(d.server, 'trips');
    const tap = await issueTap(d.server, user, { isUsableOnce: false });
    // Warm once (scripts loaded, rate-limit buckets made), then count.
    await signIn(d.rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    let tokens: client.TokenEndpointResponse | undefined;
    const tapTrips = await roundTrips(async () => {
      const s = await signIn(d.rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
      tokens = await redeem(d.rp, s);
    });
    expect(tokens?.refresh_token).toBeTruthy();
    expect(tapTrips).toBeGreaterThan(5);
    expect(tapTrips).toBeLessThanOrEqual(30);

    const refreshTrips = await roundTrips(async () => {
      tokens = await client.refreshTokenGrant(d.rp, tokens!.refresh_token!);
    });
    expect(tokens?.access_token).toBeTruthy();
    expect(refreshTrips).toBeGreaterThan(0);
    expect(refreshTrips).toBeLessThanOrEqual(6);

    const onboarded = await tapToPasskey(d.rp, user.userPrincipalName, tap.temporaryAccessPass!);
    expect(onboarded.done.url.startsWith(REDIRECT_URI)).toBe(true);
    const passkeySignIn = async () => {
      const a = await startAuthorization(d.rp, {}, new Browser());
      const assertion = onboarded.authenticator.get(formOptions<RequestOptions>(a.html, 'passkey-form'), onboarded.credential);
      const done = await acceptConsent(a.browser, await a.browser.submit(`${a.url}/method/passkey`, { response: assertion }));
      return redeem(d.rp, { ...a, callback: done.url });
    };
    await passkeySignIn();
    const passkeyTrips = await roundTrips(passkeySignIn);
    expect(passkeyTrips).toBeGreaterThan(3);
    expect(passkeyTrips).toBeLessThanOrEqual(25);
  });

  it('reads a user named at the identifier and TAP steps together with their TAP and the policy, and sends the TAP step’s pending sign-in with its record: 2 and 4 round trips', async () => {
    const user = await freshUser(d.server, 'steps');
    const tap = (await issueTap(d.server, user, { isUsableOnce: false })).temporaryAccessPass!;
    await signIn(d.rp, user.userPrincipalName, { tap });
    const a = await startAuthorization(d.rp, {}, new Browser());
    let step: Awaited<ReturnType<typeof submitIdentifier>> | undefined;
    const identifierTrips = await roundTrips(async () => (step = await submitIdentifier(a, user.userPrincipalName)));
    expect(step!.html).toContain('name="tap"');
    let answer: Response | undefined;
    // The post alone, not the registration page it leads to.
    const tapTrips = await roundTrips(async () => {
      const body = new URLSearchParams({ username: user.userPrincipalName, tap }).toString();
      answer = await a.browser.request(formAction(step!.html, step!.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    });
    expect(answer!.status).toBe(303);
    expect(answer!.headers.get('location')).toMatch(/\/register$/);
    // The name's index, then the user with their TAP, the policy and their passkeys' count.
    expect(identifierTrips).toBeGreaterThan(0);
    expect(identifierTrips).toBeLessThanOrEqual(2);
    // Those two, the TAP's check, then the pending sign-in with the attempt's record.
    expect(tapTrips).toBeGreaterThan(0);
    expect(tapTrips).toBeLessThanOrEqual(4);
  });

  it('builds one Koa context per request: the pages, the API and the provider run in one application', async () => {
    const user = await freshUser(d.server, 'contexts');
    const tap = await issueTap(d.server, user, { isUsableOnce: false });
    const s = await signIn(d.rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! });
    const tokens = await redeem(d.rp, s);
    // The provider is a Koa application itself: a second application in front of it would build a context too.
    const contexts = vi.spyOn(Koa.prototype, 'createContext');
    try {
      const refreshed = await client.refreshTokenGrant(d.rp, tokens.refresh_token!);
      expect(refreshed.access_token).toBeTruthy();
      // None of these asks the provider for an interaction (interactionDetails builds a context of its own).
      expect((await fetch(`${d.server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${d.server.url}/v1.0/users`)).status).toBe(401);
      expect((await fetch(`${d.server.url}/.well-known/openid-configuration`)).status).toBe(200);
      expect(contexts).toHaveBeenCalledTimes(4);
    } finally {
      contexts.mockRestore();
    }
  });
});
