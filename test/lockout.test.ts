import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import type { User } from '../src/directory/User.js';
import { TAP_INVALID } from '../src/methods/tap/TapMethod.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import { Browser, formAction, pageError } from './support/Browser.js';
import { redeem, startAuthorization, submitIdentifier } from './support/rp.js';
import { REDIRECT_URI, TestClock, type TestServer } from './support/testServer.js';

/*
 * behaviour.md, "Guessing": after 5 consecutive failures for an account each further try waits longer (30 s
 * doubling to 1 h); after 10 the TAP is LockedOut and only a new TAP helps. A new TAP does not reset the
 * account's failure count; a success does. Counters are atomic in Redis.
 *
 * Everything here goes through HTTP (the TAP step of real interactions on two servers sharing one Redis and one
 * clock); plugin.taps is used only to issue TAPs and to read the state the pages do not show (reason, count).
 */

const DELAY_AFTER = 5;
const LOCK_AT = 10;
/** The wait before the next try once an account has `failures` consecutive failures (failures ≥ 5). */
const delayMs = (failures: number) => Math.min(30_000 * 2 ** (failures - DELAY_AFTER), 3_600_000);
const waitMessage = (ms: number) => `Too many attempts. Wait ${ms / 1000} seconds before you try again.`;

let a: TestServer;
let b: TestServer;
let clock: TestClock;
let rp: client.Configuration;
useDeployment({ servers: 2 }, (d) => {
  [a, b] = d.servers as [TestServer, TestServer];
  ({ clock, rp } = d);
});

/** A user of their own for each test, so that failure counts never leak between tests. */
const freshUser = () => freshUserOf(a, 'guess');

const failures = (user: User) => a.plugin.taps.failureCount(user);
const reason = async (user: User) => (await a.plugin.taps.get(user))!.methodUsabilityReason;

/**
 * The TAP was accepted: the flow went on to the relying party's callback or, where the flow leads a TAP sign-in
 * to passkey registration first (behaviour.md), to the registration step of the interaction.
 */
function accepted(r: { url: string }): boolean {
  return r.url.startsWith(REDIRECT_URI) || /^\/interaction\/[^/]+\/register$/.test(new URL(r.url).pathname);
}

/** From an accepted multi-use TAP sign-in to the relying party's callback, skipping passkey registration if asked. */
async function callbackAfterTap(browser: Browser, r: { url: string; html: string }): Promise<string | undefined> {
  if (r.url.startsWith(REDIRECT_URI)) return r.url;
  const skip = /<form[^>]*action="([^"]*\/register\/skip)"/.exec(r.html);
  if (!skip) return undefined;
  const done = await browser.submit(new URL(skip[1]!.replaceAll('&amp;', '&'), r.url).href, {});
  return done.url.startsWith(REDIRECT_URI) ? done.url : undefined;
}

/** An interaction on the TAP step; `submit` presses Sign in on it (a refused try re-renders the same step). */
async function openTapStep(upn: string, via?: string) {
  const auth = await startAuthorization(rp, {}, undefined, via);
  const step = await submitIdentifier(auth, upn);
  expect(step.html).toContain('name="tap"');
  const action = formAction(step.html, step.url);
  return {
    ...auth,
    async submit(tap: string) {
      const r = await auth.browser.submit(action, { username: upn, tap });
      return { ...r, accepted: accepted(r), error: pageError(r.html) };
    },
  };
}
type TapStep = Awaited<ReturnType<typeof openTapStep>>;

/** Submit wrong passcodes one at a time, each waiting out exactly the delay the account is under. */
async function failPatiently(page: TapStep, user: User, times: number) {
  for (let i = 0; i < times; i++) {
    const before = await failures(user);
    if (before >= DELAY_AFTER) clock.advance(delayMs(before));
    const r = await page.submit(`WRONG${i}XYZ`);
    expect(r.res.status, `try ${i + 1}, after ${before} failures`).toBe(400);
    expect(r.error).toBe(TAP_INVALID);
    expect(await failures(user)).toBe(before + 1);
  }
}

describe('guessing a Temporary Access Pass', () => {
  it('is checked again exactly when each delay has passed, and 10 failures lock the TAP for good', async () => {
    const user = await freshUser();
    const tap = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
    const page = await openTapStep(user.userPrincipalName);

    // The first 5 are checked at once, without any wait.
    for (let i = 1; i <= DELAY_AFTER; i++) {
      const r = await page.submit(`WRONG${i}XYZ`);
      expect(r.res.status).toBe(400);
      expect(r.error).toBe(TAP_INVALID);
      expect(await failures(user)).toBe(i);
    }
    expect(await reason(user)).toBe('EnabledByPolicy');

    // Then 30 s, 60 s, 120 s, 240 s, 480 s: a try at the end of each wait is checked (400, not 429).
    for (let n = DELAY_AFTER; n < LOCK_AT; n++) {
      clock.advance(delayMs(n));
      const r = await page.submit(`WRONG${n}XYZ`);
      expect(r.res.status, `after ${n} failures and ${delayMs(n) / 1000} s`).toBe(400);
      expect(r.error).toBe(TAP_INVALID);
      expect(await failures(user)).toBe(n + 1);
      expect(await reason(user)).toBe(n + 1 < LOCK_AT ? 'EnabledByPolicy' : 'LockedOut');
    }
    const locked = (await a.plugin.taps.get(user))!;
    expect(locked).toMatchObject({ id: tap.id, isUsable: false, methodUsabilityReason: 'LockedOut' });

    // Locked for good: the right passcode, even after the longest wait, is refused with the same message.
    clock.advance(3_600_000);
    const right = await page.submit(tap.temporaryAccessPass!);
    expect(right.accepted).toBe(false);
    expect(right.res.status).toBe(400);
    expect(right.error).toBe(TAP_INVALID);
    expect(await reason(user)).toBe('LockedOut');

    // And a new sign-in no longer offers the TAP step.
    const fresh = await submitIdentifier(await startAuthorization(rp), user.userPrincipalName);
    expect(fresh.html).not.toContain('name="tap"');
  });

  it('answers a try within the delay with 429 "Wait N seconds"; the try counts, and after N seconds the next is checked', async () => {
    const user = await freshUser();
    const tap = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
    const page = await openTapStep(user.userPrincipalName, b.url);
    for (let i = 1; i <= DELAY_AFTER; i++) expect((await page.submit(`WRONG${i}XYZ`)).res.status).toBe(400);

    // 1 s too early: refused unchecked, counted, and the wait starts again, longer (6 failures → 60 s).
    clock.advance(delayMs(5) - 1_000);
    const early = await page.submit('WRONGEARLY');
    expect(early.res.status).toBe(429);
    expect(early.error).toBe(waitMessage(delayMs(6)));
    expect(await failures(user)).toBe(6);

    // The right passcode is refused the same way while the account waits (the delay is no oracle).
    clock.advance(delayMs(6) - 1_000);
    const tooSoon = await page.submit(tap.temporaryAccessPass!);
    expect(tooSoon.res.status).toBe(429);
    expect(tooSoon.accepted).toBe(false);
    expect(tooSoon.error).toBe(waitMessage(delayMs(7)));
    expect(await failures(user)).toBe(7);

    // Waiting the N seconds the page said is enough: the next try is checked (wrong: 400, 8 failures).
    clock.advance(delayMs(7));
    const checked = await page.submit('WRONGAGAIN');
    expect(checked.res.status).toBe(400);
    expect(checked.error).toBe(TAP_INVALID);
    expect(await failures(user)).toBe(8);

    const again = await page.submit(tap.temporaryAccessPass!);
    expect(again.res.status).toBe(429);
    expect(again.error).toBe(waitMessage(delayMs(9)));
    expect(await failures(user)).toBe(9);

    clock.advance(delayMs(9));
    const ok = await page.submit(tap.temporaryAccessPass!);
    expect(ok.accepted).toBe(true);
    expect(await failures(user)).toBe(0);
  });

  it('locks the TAP when the 10th refusal is a try that came too early, and then says so instead of "wait"', async () => {
    const user = await freshUser();
    const tap = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
    const page = await openTapStep(user.userPrincipalName);
    await failPatiently(page, user, 9);

    const early = await page.submit('WRONGEARLY');
    expect(await failures(user)).toBe(10);
    expect(await reason(user)).toBe('LockedOut');
    expect(early.res.status).toBe(400);
    expect(early.error).toBe(TAP_INVALID);

    clock.advance(3_600_000);
    expect((await page.submit(tap.temporaryAccessPass!)).error).toBe(TAP_INVALID);
  });

  it('keeps the failure count across a new TAP, and resets it on a successful sign-in', async () => {
    const user = await freshUser();
    const first = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
    await failPatiently(await openTapStep(user.userPrincipalName), user, LOCK_AT);
    expect(await reason(user)).toBe('LockedOut');

    // Only a new TAP helps; it is usable, but the account's 10 failures stay.
    const second = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
    expect(second.id).not.toBe(first.id);
    expect(second.methodUsabilityReason).toBe('EnabledByPolicy');
    expect(await failures(user)).toBe(LOCK_AT);

    // So a single wrong guess with the new TAP (after the wait) is the 11th failure and locks it at once,
    // where a fresh account would have 10 guesses.
    clock.advance(delayMs(LOCK_AT));
    const page = await openTapStep(user.userPrincipalName, b.url);
    const wrong = await page.submit('WRONGNEWTAP');
    expect(wrong.res.status).toBe(400);
    expect(wrong.error).toBe(TAP_INVALID);
    expect(await failures(user)).toBe(LOCK_AT + 1);
    expect(await reason(user)).toBe('LockedOut');

    // A third TAP, used right once its wait has passed: signs in and resets the count.
    const third = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
    expect(await failures(user)).toBe(LOCK_AT + 1);
    clock.advance(delayMs(LOCK_AT + 1));
    const good = await openTapStep(user.userPrincipalName);
    const ok = await good.submit(third.temporaryAccessPass!);
    expect(ok.accepted).toBe(true);
    const tokens = await redeem(rp, { ...good, callback: await callbackAfterTap(good.browser, ok) });
    expect(tokens.claims()!.amr).toEqual(expect.arrayContaining(['tap', 'mfa']));
    expect(await failures(user)).toBe(0);

    // Back to a clean slate: 5 wrong guesses in a row are checked without any wait, the TAP stays usable.
    const next = await openTapStep(user.userPrincipalName);
    for (let i = 1; i <= DELAY_AFTER; i++) {
      const r = await next.submit(`WRONG${i}XYZ`);
      expect(r.res.status).toBe(400);
      expect(r.error).toBe(TAP_INVALID);
    }
    expect(await failures(user)).toBe(DELAY_AFTER);
    expect(await reason(user)).toBe('EnabledByPolicy');
    clock.advance(delayMs(DELAY_AFTER));
    expect((await next.submit(third.temporaryAccessPass!)).accepted).toBe(true);
    expect(await failures(user)).toBe(0);
  });

  it('counts every one of 100 simultaneous wrong guesses on two servers and checks none after the lock, round after round', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await freshUser();
      const tap = await a.plugin.taps.create(user, { lifetimeInMinutes: 480 });
      // 10 browsers on the TAP step, half on each server; each then sends 10 guesses at once: 100 in flight.
      const pages = await Promise.all(Array.from({ length: 10 }, (_, i) => openTapStep(user.userPrincipalName, i % 2 ? b.url : a.url)));
      const logFrom = [a.logs.length, b.logs.length] as const;
      const results = await Promise.all(pages.flatMap((p, i) => Array.from({ length: 10 }, (_, j) => p.submit(`WRONG${i}X${j}Y`))));

      expect(results.filter((r) => r.accepted)).toHaveLength(0);
      // Not one guess uncounted, and the TAP is locked.
      expect(await failures(user), `round ${round}`).toBe(100);
      expect(await reason(user)).toBe('LockedOut');

      // No time passes (the clock stands still for the burst), so exactly 5 guesses are checked; the next
      // 4 are told to wait, the 10th locks the TAP and the other 90 are refused without being checked.
      const outcomes = [...a.logs.slice(logFrom[0]), ...b.logs.slice(logFrom[1])]
        .map((l) => JSON.parse(l) as { msg: string; userId?: string; outcome?: string })
        .filter((l) => l.msg === 'tap.signin' && l.userId === user.id)
        .map((l) => l.outcome);
      expect(outcomes).toHaveLength(100);
      const tally = (o: string) => outcomes.filter((x) => x === o).length;
      expect({ WRONG: tally('WRONG'), THROTTLED: tally('THROTTLED'), LOCKED_NOW: tally('LOCKED_NOW'), LOCKED: tally('LOCKED') }).toEqual({
        WRONG: 5,
        THROTTLED: 4,
        LOCKED_NOW: 1,
        LOCKED: 90,
      });
      // What the pages show: 4 "wait" pages (429), the rest the one message that reveals nothing (400).
      expect(results.filter((r) => r.res.status === 429)).toHaveLength(4);
      expect(results.filter((r) => r.res.status === 400 && r.error === TAP_INVALID)).toHaveLength(96);

      // The right passcode, after the longest wait, is refused too.
      clock.advance(3_600_000);
      const right = await pages[round]!.submit(tap.temporaryAccessPass!);
      expect(right.accepted).toBe(false);
      expect(right.error).toBe(TAP_INVALID);
      expect(await failures(user)).toBe(101);
    }
  });
});
