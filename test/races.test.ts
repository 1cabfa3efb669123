import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import type { User } from '../src/directory/User.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import type { Browser } from './support/Browser.js';
import { formAction } from './support/Browser.js';
import { appToken, apiClient, graph } from './support/graph.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { redeem, refreshError, signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { REDIRECT_URI, TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';
import { byTest } from './support/byTest.js';

/*
 * Issue #6, part 4: every read-modify-write on Redis is atomic. Each race here is run many times, with the
 * competing requests sent at once over real HTTP to two servers sharing one Redis, and checked by what is
 * left afterwards, whatever the interleaving was.
 */

const SECRET = 'race-app-secret-0123456789-0123456789';
const ADMIN_PERMISSIONS = ['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod', 'User.ReadWrite.All'];
const POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

let a: TestServer;
let b: TestServer;
let rp: client.Configuration;
useDeployment(
  { servers: 2, config: () => testConfig({ clients: [TEST_CLIENT, apiClient('race-admin', SECRET, ADMIN_PERMISSIONS)], users: TEST_USERS }) },
  (d) => {
    [a, b] = d.servers as [TestServer, TestServer];
    rp = d.rp;
  },
);

const adminTokens = new Map<string, Promise<string>>();
/** An application token of the given server: each server is its own issuer, so a token's audience is its API. */
function admin(via: string): Promise<string> {
  let t = adminTokens.get(via);
  if (!t) adminTokens.set(via, (t = appToken(via, 'race-admin', SECRET, ADMIN_PERMISSIONS.join(' '))));
  return t;
}
/** One admin API call, on either server. */
const api = async (method: string, path: string, body?: unknown, via = a.url) => graph(via, await admin(via), method, path, body);
const tapPath = (u: User) => `/users/${u.id}/authentication/temporaryAccessPassMethods`;

const freshUser = (prefix: string) => freshUserOf(a, prefix);

/** Issue a multi-use TAP through the admin API; the passcode is only in this answer. */
async function issueTap(user: User, via = a.url): Promise<{ id: string; passcode: string }> {
  const r = await api('POST', tapPath(user), { lifetimeInMinutes: 60, isUsableOnce: false }, via);
  expect(r.status).toBe(201);
  return { id: String(r.body.id), passcode: String(r.body.temporaryAccessPass) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const active = async (token: string) => (await client.tokenIntrospection(rp, token)).active;

/** prompt=none in this browser: does single sign-on still give a code? */
async function silentCode(browser: Browser): Promise<string | null> {
  const s = await startAuthorization(rp, { prompt: 'none' }, browser);
  const cb = new URL(s.url);
  expect(cb.origin + cb.pathname).toBe(REDIRECT_URI);
  return cb.searchParams.get('code');
}

/** What one sign-in got: its browser (session cookie) and whatever tokens it reached. */
interface Outcome {
  browser: Browser;
  tokens?: client.TokenEndpointResponse;
}

/** Everything this sign-in obtained is dead: no single sign-on, no active access token, no refresh. */
async function expectNothingSurvives(o: Outcome, label: string): Promise<void> {
  expect(await silentCode(o.browser), `${label}: single sign-on`).toBeNull();
  if (o.tokens) {
    expect(await active(o.tokens.access_token), `${label}: access token`).toBe(false);
    expect(await refreshError(rp, o.tokens.refresh_token!), `${label}: refresh`).toBe('invalid_grant');
  }
}

/**
 * A TAP sign-in driven one HTTP step at a time, through the skip of passkey registration (multi-use TAP) to the
 * tokens; `between(stage)` runs after each step, so a test can put a competing write at every point.
 */
async function steppedTapSignIn(upn: string, passcode: string, between: (stage: number) => Promise<void>, via?: string): Promise<Outcome> {
  const auth = await startAuthorization(rp, {}, undefined, via);
  const step = await submitIdentifier(auth, upn);
  const out: Outcome = { browser: auth.browser };
  await between(0);
  const afterTap = await auth.browser.submit(formAction(step.html, step.url), { username: upn, tap: passcode });
  await between(1);
  const skip = /action="([^"]+\/register\/skip)"/.exec(afterTap.html)?.[1];
  if (!skip) return out;
  const skipUrl = new URL(skip.replaceAll('&amp;', '&'), afterTap.url).href;
  const skipped = await auth.browser.request(skipUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  await between(2);
  if (skipped.status !== 303) return out;
  const done = await auth.browser.follow(new URL(skipped.headers.get('location')!, skipUrl).href);
  await between(3);
  if (!done.url.startsWith(REDIRECT_URI) || !new URL(done.url).searchParams.get('code')) return out;
  try {
    out.tokens = await redeem(rp, { ...auth, callback: done.url });
  } catch {
    return out;
  }
  await between(4);
  return out;
}

/** The new TAP signs in and its tokens work. */
async function expectWorks(upn: string, passcode: string): Promise<void> {
  const flow = await signIn(rp, upn, { tap: passcode });
  expect(flow.callback, 'the new TAP signs in').toBeTruthy();
  const tokens = await redeem(rp, flow);
  expect(await active(tokens.access_token)).toBe(true);
  expect(await refreshError(rp, tokens.refresh_token!)).toBeUndefined();
}

describe('replacing a TAP while sign-ins with the old one are under way', () => {
  it('leaves nothing obtained with the old TAP alive, whichever step of the sign-in the replacement lands on', async () => {
    for (let stage = 0; stage <= 4; stage++) {
      const user = await freshUser(`replace-step${stage}`);
      const old = await issueTap(user);
      let next: { id: string; passcode: string } | undefined;
      const o = await steppedTapSignIn(user.userPrincipalName, old.passcode, async (s) => {
        if (s === stage) next = await issueTap(user, b.url);
      });
      expect(next, `stage ${stage}`).toBeDefined();
      await expectNothingSurvives(o, `replaced at stage ${stage}`);
      await expectWorks(user.userPrincipalName, next!.passcode);
    }
  });

  it('leaves nothing obtained with the old TAP alive when the replacement races 4 sign-ins, round after round', async () => {
    for (let round = 0; round < 12; round++) {
      const user = await freshUser(`replace-race${round}`);
      const old = await issueTap(user);
      // At most 4 sign-ins can be refused as wrong (the new TAP's hash): under the 5 that start the delays.
      const signIns = Array.from({ length: 4 }, (_, i) =>
        steppedTapSignIn(user.userPrincipalName, old.passcode, async () => {}, i % 2 ? b.url : a.url),
      );
      const replaced = sleep((round * 7) % 60).then(() => issueTap(user, round % 2 ? a.url : b.url));
      const [outcomes, next] = await Promise.all([Promise.all(signIns), replaced]);
      for (const [i, o] of outcomes.entries()) await expectNothingSurvives(o, `round ${round}, sign-in ${i}`);
      await expectWorks(user.userPrincipalName, next.passcode);
    }
  });
});

describe('deleting a TAP while refresh-token grants of its sign-ins are under way', () => {
  it('leaves no refresh token that works and no access token that is active, round after round', async () => {
    for (let round = 0; round < 10; round++) {
      const user = await freshUser(`delete-refresh${round}`);
      const tap = await issueTap(user);
      const chains: client.TokenEndpointResponse[][] = [];
      for (let i = 0; i < 3; i++) {
        const flow = await signIn(rp, user.userPrincipalName, { tap: tap.passcode });
        chains.push([await redeem(rp, flow)]);
      }
      // Each chain refreshes again and again, as fast as it can, on either server, while the TAP is deleted.
      const refreshing = chains.map(async (chain, i) => {
        const config = i % 2 ? await relyingPartyOf(b) : rp;
        for (let n = 0; n < 6; n++) {
          try {
            chain.push(await client.refreshTokenGrant(config, chain.at(-1)!.refresh_token!));
          } catch {
            return;
          }
        }
      });
      const deleted = sleep((round * 5) % 40).then(() => api('DELETE', `${tapPath(user)}/${tap.id}`, undefined, round % 2 ? b.url : a.url));
      const [, del] = await Promise.all([Promise.all(refreshing), deleted]);
      expect(del.status).toBe(204);
      for (const [i, chain] of chains.entries()) {
        for (const [n, t] of chain.entries()) {
          expect(await active(t.access_token), `round ${round}, chain ${i}, access token ${n}`).toBe(false);
          expect(await refreshError(rp, t.refresh_token!), `round ${round}, chain ${i}, refresh token ${n}`).toBe('invalid_grant');
        }
      }
    }
  });
});

const rpOf = new Map<string, client.Configuration>();
/** openid-client against another server of the deployment (same issuer data, other process state). */
async function relyingPartyOf(s: TestServer): Promise<client.Configuration> {
  if (s === a) return rp;
  let c = rpOf.get(s.url);
  if (!c) {
    c = await client.discovery(new URL(s.url), TEST_CLIENT.client_id, {}, client.ClientSecretBasic(TEST_CLIENT.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    rpOf.set(s.url, c);
  }
  return c;
}

describe('two administrators changing the TAP policy at once', () => {
  it('keeps every field each PATCH changed: no change is lost, round after round', async () => {
    const before = (await api('GET', POLICY)).body;
    try {
      for (let round = 0; round < 15; round++) {
        const want = {
          defaultLength: 8 + (round % 10),
          maximumLifetimeInMinutes: 480 + round,
          excludeTargets: [{ targetType: 'group', id: `excluded-${round}` }],
          defaultLifetimeInMinutes: 60 + round,
        };
        // Four PATCHes, one field each, on both servers, sent together.
        const results = await Promise.all(
          Object.entries(want).map(([field, value], i) => api('PATCH', POLICY, { [field]: value }, i % 2 ? b.url : a.url)),
        );
        expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204]);
        const after = (await api('GET', POLICY)).body;
        expect(after, `round ${round}`).toMatchObject(want);
      }
    } finally {
      await api('PATCH', POLICY, {
        defaultLength: before.defaultLength,
        maximumLifetimeInMinutes: before.maximumLifetimeInMinutes,
        defaultLifetimeInMinutes: before.defaultLifetimeInMinutes,
        excludeTargets: [],
      });
    }
  });
});

describe('deleting passkeys at once', () => {
  it('never lets two simultaneous deletions remove a user’s last way to sign in, round after round', async () => {
    for (let round = 0; round < 8; round++) {
      const user = await freshUser(`lastmethod${round}`);
      const [p1, p2] = [await seedPasskey(a.redis, user.id, 'one'), await seedPasskey(a.redis, user.id, 'two')];
      // A delegated token of the user's own: a TAP sign-in, then the TAP blocked by policy (not deleted, which
      // would revoke the token), so that the user has no usable TAP to come back with.
      const tap = await a.plugin.taps.create(user, { lifetimeInMinutes: 60 }, byTest);
      const flow = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! }, { scope: 'openid UserAuthenticationMethod.ReadWrite', prompt: 'login' });
      const token = (await redeem(rp, flow)).access_token;
      await a.redis.hset(`tap:{u:${user.id}}`, 'locked', '1');
      expect((await a.plugin.taps.get(user))!.isUsable).toBe(false);

      const del = (id: string, via: string) =>
        graph(via, token, 'DELETE', `/me/authentication/fido2Methods/${encodeURIComponent(id)}`);
      // Both on server a: the delegated token's audience is a's API.
      const results = await Promise.all([del(p1.id, a.url), del(p2.id, a.url)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, `round ${round}`).toEqual([204, 409]);
      expect(await a.plugin.passkeys.count(user.id)).toBe(1);
    }
  });
});

describe('two administrators updating one user at once', () => {
  it('keeps both changes when one PATCH renames the user’s display name and another changes their groups', async () => {
    for (let round = 0; round < 10; round++) {
      const user = await freshUser(`patch${round}`);
      const path = `/users/${user.id}`;
      const results = await Promise.all([
        api('PATCH', path, { displayName: `Renamed ${round}` }, a.url),
        api('PATCH', path, { groups: [`group-${round}`] }, b.url),
      ]);
      expect(results.map((r) => r.status)).toEqual([204, 204]);
      const after = (await api('GET', path)).body;
      expect(after.displayName, `round ${round}`).toBe(`Renamed ${round}`);
      expect((await a.plugin.directory.findById(user.id))!.groups, `round ${round}`).toEqual([`group-${round}`]);
    }
  });

  it('leaves exactly one user principal name pointing at a user renamed twice at once', async () => {
    for (let round = 0; round < 10; round++) {
      const user = await freshUser(`rename${round}`);
      const path = `/users/${user.id}`;
      const tag = user.userPrincipalName.split('@')[0];
      const names = [`first-${tag}@contoso.com`, `second-${tag}@contoso.com`];
      const results = await Promise.all(names.map((n, i) => api('PATCH', path, { userPrincipalName: n }, i ? b.url : a.url)));
      expect(results.filter((r) => r.status === 204).length, `round ${round}`).toBeGreaterThanOrEqual(1);
      const final = (await a.plugin.directory.findById(user.id))!.userPrincipalName;
      expect(names).toContain(final);
      // The old name and the losing name are free again; only the user's own name finds them.
      for (const n of [user.userPrincipalName, ...names]) {
        const found = await a.plugin.directory.findByUpn(n);
        expect(found?.id, `round ${round}: ${n}`).toBe(n === final ? user.id : undefined);
      }
    }
  });
});
