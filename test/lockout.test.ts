import type * as client from 'openid-client';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { User } from '../src/directory/User.js';
import { TAP_INVALID as TAP_INVALID_MESSAGE, TAP_LOCKED as TAP_LOCKED_MESSAGE } from '../src/methods/tap/TapMethod.js';
import { english } from './support/english.js';
import type { TemporaryAccessPassMethod } from '../src/tap/TemporaryAccessPassMethod.js';
import { launchChromium } from './support/chromium.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import { formAction, pageError } from './support/Browser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { redeem, startAuthorization, submitIdentifier } from './support/rp.js';
import { REDIRECT_URI, TEST_CLIENT, testConfig, TestClock, type TestServer } from './support/testServer.js';
import { tapAccepted } from './support/tapAccepted.js';
import { byTest } from './support/byTest.js';

const TAP_INVALID = english(TAP_INVALID_MESSAGE);
const TAP_LOCKED = english(TAP_LOCKED_MESSAGE);

/*
 * The README's "Guessing a TAP" rule: failures count against one TAP, per source network (IPv4 /24, IPv6 /64).
 * After 5 from a network each further try from it waits 30 s, doubling (to 1 h at most); after 10 that network
 * is locked out of the TAP; after 50 from all networks together the TAP itself is LockedOut. A try made while
 * told to wait (or from a locked network, or at a locked TAP) is refused without being checked and is no
 * failure. A new TAP starts clean; a success, or an administrator's unlock, clears the count.
 *
 * Everything goes through HTTP (the TAP step of real interactions on two servers sharing one Redis and one
 * clock, behind a trusted proxy so that X-Forwarded-For names the address); plugin.taps only issues TAPs and
 * reads what the pages do not show.
 */

const DELAY_AFTER = 5;
const LOCK_NETWORK_AT = 10;
const LOCK_TAP_AT = 50;
/** The wait a network is under once it has `failures` failures (failures ≥ 5). */
const delayMs = (failures: number) => Math.min(30_000 * 2 ** (failures - DELAY_AFTER), 3_600_000);
const wrongThenWait = (s: number) => `That Temporary Access Pass did not work. Wait ${s} seconds before you try again.`;
const tooEarly = (s: number) => `Too many attempts. Wait ${s} second${s === 1 ? '' : 's'} before you try again.`;

const API_CLIENT = 'lockout-admin';
const API_SECRET = 'lockout-admin-secret-0123456789';
const READER_CLIENT = 'lockout-reader';

let a: TestServer;
let b: TestServer;
let clock: TestClock;
let rp: client.Configuration;
let redisUrl: string;
useDeployment(
  {
    servers: 2,
    trustProxy: true,
    config: () =>
      testConfig({
        clients: [
          TEST_CLIENT,
          apiClient(API_CLIENT, API_SECRET, ['UserAuthMethod-TAP.ReadWrite.All', 'AuditLog.Read.All']),
          apiClient(READER_CLIENT, API_SECRET, ['UserAuthMethod-TAP.Read.All']),
        ],
      }),
  },
  (d) => {
    [a, b] = d.servers as [TestServer, TestServer];
    ({ clock, rp } = d);
    redisUrl = d.redis.url;
  },
);

/** A user of their own for each test, so that counts never leak between tests. */
const freshUser = () => freshUserOf(a, 'guess');
const issue = (user: User) => a.plugin.taps.create(user, { lifetimeInMinutes: 480 }, byTest);
const state = async (user: User) => (await a.plugin.taps.get(user))!;
const total = async (user: User) => (await state(user))['oidcTap.failureCount'];
const fromNetwork = async (user: User, network: string) =>
  (await state(user))['oidcTap.failureSources'].find((s) => s.network === network)?.failureCount ?? 0;

/**
 * An interaction on the TAP step, seen from one address; `submit` presses Sign in on it. The TAP step's form is
 * posted even for a name the identifier step would not lead there (what a script can always do).
 */
async function openTapStep(upn: string, ip: string, via?: string) {
  const auth = await startAuthorization(rp, {}, undefined, via);
  const step = await submitIdentifier(auth, upn);
  const uid = /\/interaction\/([^/]+)/.exec(new URL(step.url).pathname)![1]!;
  const action = step.html.includes('name="tap"') ? formAction(step.html, step.url) : new URL(`/interaction/${uid}/method/tap`, step.url).href;
  return {
    ...auth,
    async submit(tap: string) {
      const r = await auth.browser.follow(action, new URL(action).origin, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
        body: new URLSearchParams({ username: upn, tap }).toString(),
      });
      return { ...r, accepted: tapAccepted(r), error: pageError(r.html) };
    },
  };
}
type TapStep = Awaited<ReturnType<typeof openTapStep>>;

/** Wrong passcodes from one page, each waiting out exactly the delay its network is under. */
async function failPatiently(page: TapStep, times: number) {
  let n = 0;
  for (let i = 0; i < times; i++) {
    if (n >= DELAY_AFTER) clock.advance(delayMs(n));
    const r = await page.submit(`WRONG${i}XYZ`);
    expect(r.res.status, `try ${i + 1}`).toBe(400);
    n += 1;
  }
}

/** Ten patient failures from `ip`: its network is then locked out of the user's TAP. */
async function lockOutNetwork(user: User, ip: string) {
  await failPatiently(await openTapStep(user.userPrincipalName, ip), LOCK_NETWORK_AT);
}

/** The address of a network of its own for each caller (198.18.0.0/15 is for tests). */
let networks = 0;
const newNetwork = () => {
  networks += 1;
  return { ip: `198.18.${networks}.7`, network: `198.18.${networks}.0/24`, neighbour: `198.18.${networks}.200` };
};

describe('guessing a Temporary Access Pass', () => {
  it('delays a network after 5 failures, 30 s doubling, and locks it out after 10, saying so on the page', async () => {
    const user = await freshUser();
    const tap = await issue(user);
    const net = newNetwork();
    const page = await openTapStep(user.userPrincipalName, net.ip);

    // The first 4 are checked at once; the 5th is checked too and says how long to wait now.
    for (let i = 1; i < DELAY_AFTER; i++) {
      const r = await page.submit(`WRONG${i}XYZ`);
      expect(r.res.status).toBe(400);
      expect(r.error).toBe(TAP_INVALID);
    }
    const fifth = await page.submit('WRONG5XYZ');
    expect(fifth.res.status).toBe(400);
    expect(fifth.error).toBe(wrongThenWait(30));
    expect(fifth.res.headers.get('retry-after')).toBe('30');
    // The page carries the wait for its live countdown (public/app.js).
    expect(fifth.html).toMatch(/id="error"[^>]*data-retry-after="30"/);

    // Then 60, 120, 240, 480 s: a try at the end of each wait is checked.
    for (let n = DELAY_AFTER; n < LOCK_NETWORK_AT - 1; n++) {
      clock.advance(delayMs(n));
      const r = await page.submit(`WRONG${n}XYZ`);
      expect(r.res.status, `after ${n} failures`).toBe(400);
      expect(r.error).toBe(wrongThenWait(delayMs(n + 1) / 1000));
    }
    clock.advance(delayMs(LOCK_NETWORK_AT - 1));
    const tenth = await page.submit('WRONG10XYZ');
    expect(tenth.error).toBe(TAP_LOCKED);
    expect(await fromNetwork(user, net.network)).toBe(LOCK_NETWORK_AT);

    // From that network the TAP stays locked, the right passcode too, even after an hour, and from any
    // address of the same /24.
    clock.advance(3_600_000);
    const right = await page.submit(tap.temporaryAccessPass!);
    expect(right.accepted).toBe(false);
    expect(right.error).toBe(TAP_LOCKED);
    const neighbour = await (await openTapStep(user.userPrincipalName, net.neighbour)).submit(tap.temporaryAccessPass!);
    expect(neighbour.error).toBe(TAP_LOCKED);
    expect(await fromNetwork(user, net.network)).toBe(LOCK_NETWORK_AT);

    // The sign-ins log says which: wrong, then the locking try and the two after it as the network's lock.
    const token = await appToken(a.url, API_CLIENT, API_SECRET, 'AuditLog.Read.All');
    const filter = encodeURIComponent(`userPrincipalName eq '${user.userPrincipalName}'`);
    const signIns = (await graph(a.url, token, 'GET', `/auditLogs/signIns?$filter=${filter}`)).body.value!;
    expect(signIns.map((r) => r.status)).toEqual([
      ...Array<unknown>(3).fill({ errorCode: 50053, failureReason: 'NetworkLockedOut' }),
      ...Array<unknown>(9).fill({ errorCode: 50126, failureReason: 'WrongPasscode' }),
    ]);
  });

  it('refuses a try made while told to wait without checking it, and it is no failure: it neither extends the wait nor locks anything', async () => {
    const user = await freshUser();
    const tap = await issue(user);
    const net = newNetwork();
    const page = await openTapStep(user.userPrincipalName, net.ip, b.url);
    for (let i = 1; i <= DELAY_AFTER; i++) await page.submit(`WRONG${i}XYZ`);
    // Just after the 5th failure; the clock is set before each try, so the time a request takes never adds up.
    const fifthAt = clock.now();
    const at = (t: number) => clock.advance(t - clock.now());

    // 20 tries during the 30 s wait, the right passcode among them: each is told the time that is really left.
    for (let i = 0; i < 20; i++) {
      at(fifthAt + (i + 1) * 1_000);
      const r = await page.submit(i % 2 ? tap.temporaryAccessPass! : `EARLY${i}XYZ`);
      expect(r.res.status).toBe(429);
      expect(r.accepted).toBe(false);
      expect(r.error).toBe(tooEarly(30 - (i + 1)));
      expect(r.res.headers.get('retry-after')).toBe(String(30 - (i + 1)));
    }
    expect(await fromNetwork(user, net.network)).toBe(DELAY_AFTER);
    expect((await state(user)).methodUsabilityReason).toBe('EnabledByPolicy');

    // The wait the page first named is all it takes: the right passcode then signs in.
    at(fifthAt + 30_000);
    const ok = await page.submit(tap.temporaryAccessPass!);
    expect(ok.accepted).toBe(true);
    expect(await total(user)).toBe(0);
  });

  it('lets the user in from their own network while guesses from another network are delayed and locked', async () => {
    const user = await freshUser();
    const tap = await issue(user);
    const attacker = newNetwork();
    const home = newNetwork();
    await lockOutNetwork(user, attacker.ip);
    // And the attacker keeps at it while the user signs in.
    const attack = await openTapStep(user.userPrincipalName, attacker.ip, b.url);
    expect((await attack.submit('WRONGAGAIN')).error).toBe(TAP_LOCKED);
    expect(await fromNetwork(user, attacker.network)).toBe(LOCK_NETWORK_AT);

    // No wait at home: the first try, the right passcode, signs in.
    const page = await openTapStep(user.userPrincipalName, home.ip);
    const ok = await page.submit(tap.temporaryAccessPass!);
    expect(ok.accepted).toBe(true);
    const done = /<form[^>]*action="([^"]*\/register\/skip)"/.exec(ok.html);
    const callback = ok.url.startsWith(REDIRECT_URI) ? ok.url : (await page.browser.submit(new URL(done![1]!.replaceAll('&amp;', '&'), ok.url).href, {})).url;
    const tokens = await redeem(rp, { ...page, callback });
    expect(tokens.claims()!.amr).toEqual(expect.arrayContaining(['tap', 'mfa']));
    // A success clears every count of the TAP: the failures before it were not consecutive.
    expect(await total(user)).toBe(0);
  });

  it('locks the TAP itself after 50 failures from all networks together, and then every network is told it is locked', async () => {
    const user = await freshUser();
    const tap = await issue(user);
    // Four networks at their own limit: 40 failures, and the TAP is still the user's.
    for (let n = 0; n < 4; n++) await lockOutNetwork(user, newNetwork().ip);
    expect((await state(user)).methodUsabilityReason).toBe('EnabledByPolicy');
    expect(await total(user)).toBe(40);
    // The fifth network's tenth failure is the 50th: the TAP is LockedOut, for every network.
    await lockOutNetwork(user, newNetwork().ip);
    const locked = await state(user);
    expect(locked).toMatchObject({ isUsable: false, methodUsabilityReason: 'LockedOut', 'oidcTap.isLockedOut': true, 'oidcTap.failureCount': LOCK_TAP_AT });

    const fresh = newNetwork();
    const right = await (await openTapStep(user.userPrincipalName, fresh.ip)).submit(tap.temporaryAccessPass!);
    expect(right.accepted).toBe(false);
    expect(right.error).toBe(TAP_LOCKED);
    // Refused unchecked: no failure from the new network, and the total stays.
    expect(await fromNetwork(user, fresh.network)).toBe(0);
    expect(await total(user)).toBe(LOCK_TAP_AT);

    // The lock is recorded once, for the attempt that made it.
    const token = await appToken(a.url, API_CLIENT, API_SECRET, 'AuditLog.Read.All');
    const audits = await graph(a.url, token, 'GET', `/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Temporary Access Pass locked out'")}`);
    expect(audits.body.value!.filter((r) => JSON.stringify(r).includes(user.id))).toHaveLength(1);
  });

  it('never counts tries against an account without a usable TAP against a TAP issued later', async () => {
    const user = await freshUser();
    const net = newNetwork();
    // No TAP yet: ten tries from the user's network (the page answers as it would for a TAP)…
    await lockOutNetwork(user, net.ip);
    // …do not touch a TAP issued then: its first try, from that network, signs in.
    const tap = await issue(user);
    const page = await openTapStep(user.userPrincipalName, net.ip);
    expect((await page.submit(tap.temporaryAccessPass!)).accepted).toBe(true);

    // Nor does the right passcode of a TAP that has not started yet: refused, and no failure.
    const early = await a.plugin.taps.create(user, { lifetimeInMinutes: 60, startDateTime: new Date(clock.now() + 3_600_000).toISOString() }, byTest);
    const tooSoon = await (await openTapStep(user.userPrincipalName, net.ip)).submit(early.temporaryAccessPass!);
    expect(tooSoon.accepted).toBe(false);
    expect(tooSoon.error).toBe(TAP_INVALID);
    expect(await total(user)).toBe(0);
  });

  it('starts a TAP that an administrator issues clean: its first right passcode works, whatever its predecessor went through', async () => {
    const user = await freshUser();
    await issue(user);
    const nets = Array.from({ length: 5 }, newNetwork);
    for (const n of nets) await lockOutNetwork(user, n.ip);
    expect((await state(user)).methodUsabilityReason).toBe('LockedOut');

    const token = await appToken(a.url, API_CLIENT, API_SECRET, 'UserAuthMethod-TAP.ReadWrite.All');
    const created = await graph(a.url, token, 'POST', `/users/${user.id}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 });
    expect(created.status).toBe(201);
    // From the network that was locked out of the old one, at once.
    const ok = await (await openTapStep(user.userPrincipalName, nets[0]!.ip)).submit(String(created.body.temporaryAccessPass));
    expect(ok.accepted).toBe(true);
    expect(created.body).toMatchObject({ 'oidcTap.failureCount': 0, 'oidcTap.isLockedOut': false, 'oidcTap.failureSources': [] });
  });

  it('shows administrators the failure count, the wait and the lock through the API, and lets them clear a lock without a new passcode', async () => {
    const user = await freshUser();
    const tap = await issue(user);
    const waiting = newNetwork();
    const lockedOut = newNetwork();
    await lockOutNetwork(user, lockedOut.ip);
    await failPatiently(await openTapStep(user.userPrincipalName, waiting.ip), 6);

    const token = await appToken(a.url, API_CLIENT, API_SECRET, 'UserAuthMethod-TAP.ReadWrite.All');
    const path = `/users/${user.userPrincipalName}/authentication/temporaryAccessPassMethods`;
    const seen = await graph(a.url, token, 'GET', `${path}/${tap.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ isUsable: true, methodUsabilityReason: 'EnabledByPolicy', 'oidcTap.failureCount': 16, 'oidcTap.isLockedOut': false });
    const sources = seen.body['oidcTap.failureSources'] as TemporaryAccessPassMethod['oidcTap.failureSources'];
    const last = sources[1]?.lastFailureDateTime ?? '';
    expect(Math.abs(Date.parse(last) - clock.now())).toBeLessThan(5_000);
    expect(sources).toEqual([
      { network: lockedOut.network, failureCount: 10, lastFailureDateTime: expect.any(String), retryAfterDateTime: null, isLockedOut: true },
      { network: waiting.network, failureCount: 6, lastFailureDateTime: last, retryAfterDateTime: new Date(Date.parse(last) + delayMs(6)).toISOString(), isLockedOut: false },
    ]);
    // The list and the methods overview carry the same.
    expect((await graph(a.url, token, 'GET', path)).body.value![0]).toMatchObject({ 'oidcTap.failureCount': 16 });

    // Unlocking takes what deleting takes: a reader sees the counts but cannot clear them.
    const reader = await appToken(a.url, READER_CLIENT, API_SECRET, 'UserAuthMethod-TAP.Read.All');
    expect((await graph(a.url, reader, 'GET', `${path}/${tap.id}`)).body).toMatchObject({ 'oidcTap.failureCount': 16 });
    expect((await graph(a.url, reader, 'POST', `${path}/${tap.id}/unlock`)).status).toBe(403);
    const wrongId = await graph(a.url, token, 'POST', `${path}/00000000-0000-4000-8000-000000000000/unlock`);
    expect(wrongId.status).toBe(404);
    const unlocked = await graph(a.url, token, 'POST', `${path}/${tap.id}/unlock`);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toMatchObject({ id: tap.id, temporaryAccessPass: null, 'oidcTap.failureCount': 0, 'oidcTap.failureSources': [] });

    // The same passcode works again from the network that was locked out, and the unlock is audited.
    expect((await (await openTapStep(user.userPrincipalName, lockedOut.ip)).submit(tap.temporaryAccessPass!)).accepted).toBe(true);
    const audit = await graph(a.url, await appToken(a.url, API_CLIENT, API_SECRET, 'AuditLog.Read.All'), 'GET',
      `/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Admin updated security info'")}`);
    const record = audit.body.value!.find((r) => JSON.stringify(r).includes(user.id));
    expect(record).toMatchObject({ result: 'success', resultReason: 'Admin unlocked temporary access pass method for user' });
  });

  it('counts exactly 5 of 100 simultaneous guesses from one network on two servers, and exactly 50 from ten networks', async () => {
    for (const spread of [1, 10]) {
      const user = await freshUser();
      const tap = await issue(user);
      const nets = Array.from({ length: spread }, newNetwork);
      const pages = await Promise.all(Array.from({ length: 10 }, (_, i) => openTapStep(user.userPrincipalName, nets[i % spread]!.ip, i % 2 ? b.url : a.url)));
      const logFrom = [a.logs.length, b.logs.length] as const;
      const results = await Promise.all(pages.flatMap((p, i) => Array.from({ length: 10 }, (_, j) => p.submit(`WRONG${i}X${j}Y`))));
      expect(results.filter((r) => r.accepted)).toHaveLength(0);

      const outcomes = [...a.logs.slice(logFrom[0]), ...b.logs.slice(logFrom[1])]
        .map((l) => JSON.parse(l) as { msg: string; userId?: string; outcome?: string })
        .filter((l) => l.msg === 'tap.signin' && l.userId === user.id)
        .map((l) => l.outcome);
      const tally = (o: string) => outcomes.filter((x) => x === o).length;
      if (spread === 1) {
        // The clock stands still: 5 checked, the other 95 told to wait and not counted; the TAP stays usable.
        expect({ WRONG: tally('WRONG'), THROTTLED: tally('THROTTLED') }).toEqual({ WRONG: 5, THROTTLED: 95 });
        expect(await total(user)).toBe(DELAY_AFTER);
        expect((await state(user)).methodUsabilityReason).toBe('EnabledByPolicy');
        expect(results.filter((r) => r.res.status === 429)).toHaveLength(95);
        clock.advance(delayMs(DELAY_AFTER));
        expect((await pages[0]!.submit(tap.temporaryAccessPass!)).accepted).toBe(true);
      } else {
        // Ten networks, 5 each before their waits: 50 checked, and the 50th locked the TAP.
        expect(outcomes).toHaveLength(100);
        expect(tally('WRONG') + tally('LOCKED_NOW')).toBe(LOCK_TAP_AT);
        expect(tally('LOCKED_NOW')).toBe(1);
        expect(await total(user)).toBe(LOCK_TAP_AT);
        expect((await state(user)).methodUsabilityReason).toBe('LockedOut');
      }
    }
  });

  it('does the same Redis work at the TAP step for an unknown name, a user without a TAP and a TAP holder', async () => {
    const holder = await freshUser();
    await issue(holder);
    const without = await freshUser();
    const client = new Redis(redisUrl);
    const monitor = await client.monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_t: string, args: string[]) => commands.push(args));

    /**
     * The commands of one wrong try at the TAP step that read a TAP or the policy, or run the TAP's script, as
     * shapes: the command, the script, each key's prefix, and the length of the passcode's digest.
     */
    async function tapWork(upn: string): Promise<string[]> {
      const page = await openTapStep(upn, newNetwork().ip);
      await new Promise((r) => setTimeout(r, 100));
      commands.length = 0;
      expect((await page.submit('WRONGGUESS')).res.status).toBe(400);
      await new Promise((r) => setTimeout(r, 100));
      const touchesTap = ([cmd, first, , key]: string[]) =>
        (/^hgetall$/i.test(cmd!) && first!.startsWith('tap:')) ||
        (/^get$/i.test(cmd!) && first!.startsWith('policy:')) ||
        (/^evalsha$/i.test(cmd!) && /^(tap|fail):/.test(key ?? ''));
      const shape = (arg: string, i: number, c: string[]) =>
        i === 0 ? arg.toLowerCase() : i === 1 && /^evalsha$/i.test(c[0]!) ? arg : arg.includes('{') ? arg.slice(0, arg.indexOf('{')) : /^[A-Za-z0-9_-]{43}$/.test(arg) ? 'digest' : '*';
      return commands.filter(touchesTap).map((c) => c.map((arg, i) => shape(arg, i, c)).join(' '));
    }
    // Once first, so that the script is loaded (its first run on a connection is an EVAL, later ones EVALSHA).
    await tapWork(holder.userPrincipalName);
    const work = {
      holder: await tapWork(holder.userPrincipalName),
      without: await tapWork(without.userPrincipalName),
      unknown: await tapWork(`nobody-${Date.now()}@contoso.com`),
    };
    monitor.disconnect();
    client.disconnect();
    expect(work.holder.length).toBeGreaterThanOrEqual(3);
    expect(work.holder.some((c) => /^evalsha /i.test(c))).toBe(true);
    expect(work.without).toEqual(work.holder);
    expect(work.unknown).toEqual(work.holder);
  });

  it('counts the wait down live on the page, with the button held until it is over', async () => {
    const chromium = await launchChromium();
    try {
      const user = await freshUser();
      const tap = await issue(user);
      const page = await (await chromium.newContext()).newPage();
      page.setDefaultTimeout(8000);
      // The page's own clock, moved by hand; the server's is the deployment's.
      await page.clock.install();
      await page.goto((await startAuthorization(rp)).authorizationUrl);
      await page.getByLabel('Email or username').fill(user.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();
      for (let i = 1; i <= DELAY_AFTER; i++) {
        await page.getByLabel('Temporary Access Pass').fill(`WRONG${i}XYZ`);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForLoadState();
      }
      const error = page.locator('#error');
      const button = page.getByRole('button', { name: 'Sign in', exact: true });
      expect(await error.textContent()).toBe(wrongThenWait(30));
      expect(await button.isDisabled()).toBe(true);

      await page.clock.runFor(10_000);
      expect(await error.textContent()).toMatch(/^That Temporary Access Pass did not work\. Wait (19|20) seconds before you try again\.$/);
      expect(await button.isDisabled()).toBe(true);

      await page.clock.runFor(21_000);
      expect(await error.textContent()).toBe('You can try again now.');
      expect(await button.isDisabled()).toBe(false);
      // And it is true: once the server's wait is over too, the right passcode signs in.
      clock.advance(delayMs(DELAY_AFTER));
      await page.getByLabel('Temporary Access Pass').fill(tap.temporaryAccessPass!);
      await button.click();
      await page.getByRole('heading', { name: 'Register a passkey' }).waitFor();
    } finally {
      await chromium.close();
    }
  });
});
