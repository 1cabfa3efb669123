import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { TAP_INVALID as TAP_INVALID_MESSAGE } from '../src/methods/tap/TapMethod.js';
import { english } from './support/english.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import { formAction, pageError } from './support/Browser.js';
import { redeem, signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { REDIRECT_URI, type TestServer } from './support/testServer.js';
import { tapAccepted } from './support/tapAccepted.js';
import { byTest } from './support/byTest.js';

const TAP_INVALID = english(TAP_INVALID_MESSAGE);

/** docs/rules.md: the message Entra users know, for a right passcode that policy or one-time use blocks. */
const TAP_BLOCKED = 'Temporary Access Pass sign in was blocked due to User Credential Policy';

let a: TestServer;
let b: TestServer;
let rp: client.Configuration;
// Two servers of one deployment: one Redis, one clock, the same secrets.
useDeployment({ servers: 2 }, (d) => {
  [a, b] = d.servers as [TestServer, TestServer];
  rp = d.rp;
});

const freshUser = (prefix: string) => freshUserOf(a, prefix);

/** Start a sign-in and stop on the TAP step, as a person who has the page open but has not pressed Sign in. */
async function openTapStep(upn: string, via?: string) {
  const auth = await startAuthorization(rp, {}, undefined, via);
  const step = await submitIdentifier(auth, upn);
  expect(step.res.status).toBe(200);
  expect(step.html).toContain('name="tap"');
  return {
    ...auth,
    step,
    submit: (tap: string) => auth.browser.submit(formAction(step.html, step.url), { username: upn, tap }),
  };
}

describe('a one-time Temporary Access Pass', () => {
  it('signs in once; afterwards it is OneTimeUsed, no longer offered, and refused with the policy message', async () => {
    const user = await freshUser('once');
    const upn = user.userPrincipalName;
    const tap = await a.plugin.taps.create(user, { isUsableOnce: true }, byTest);
    expect(tap.isUsableOnce).toBe(true);
    expect(tap.methodUsabilityReason).toBe('EnabledByPolicy');

    // A second tab with the TAP step open before the TAP is used.
    const stale = await openTapStep(upn, b.url);

    const first = await signIn(rp, upn, { tap: tap.temporaryAccessPass! });
    expect(tapAccepted(first.done)).toBe(true);
    if (first.callback) expect((await redeem(rp, first)).claims()!.amr).toEqual(expect.arrayContaining(['tap', 'mfa']));

    const after = (await a.plugin.taps.get(user))!;
    expect(after.methodUsabilityReason).toBe('OneTimeUsed');
    expect(after.isUsable).toBe(false);

    // The second tab, on the other server: the right passcode, refused because it was used.
    const again = await stale.submit(tap.temporaryAccessPass!);
    expect(tapAccepted(again)).toBe(false);
    expect(again.res.status).toBe(400);
    expect(pageError(again.html)).toBe(TAP_BLOCKED);
    expect(again.html).not.toContain(tap.temporaryAccessPass!);

    // A new sign-in no longer asks for the spent TAP: the user gets the password step (docs/rules.md: the TAP is
    // asked for only while it is usable), and posting the TAP to the TAP step anyway is refused the same way.
    const fresh = await startAuthorization(rp);
    const step = await submitIdentifier(fresh, upn);
    expect(step.html).toContain('name="password"');
    expect(step.html).not.toContain('name="tap"');
    const forced = await fresh.browser.submit(formAction(step.html, step.url).replace(/\/method\/password$/, '/method/tap'), {
      username: upn,
      tap: tap.temporaryAccessPass!,
    });
    expect(tapAccepted(forced)).toBe(false);
    expect(pageError(forced.html)).toBe(TAP_BLOCKED);

    // The used TAP is not a wrong one: a wrong passcode still gets the message that reveals nothing.
    const wrong = await stale.submit('WRONGPASS');
    expect(pageError(wrong.html)).toBe(TAP_INVALID);
    expect((await a.plugin.taps.get(user))!.methodUsabilityReason).toBe('OneTimeUsed');
  });

  it('a multi-use TAP, by contrast, signs in more than once', async () => {
    const user = await freshUser('multi');
    const tap = await a.plugin.taps.create(user, { isUsableOnce: false }, byTest);
    for (const via of [a.url, b.url]) {
      const flow = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! }, {}, { via });
      expect(tapAccepted(flow.done)).toBe(true);
    }
    expect((await a.plugin.taps.get(user))!.methodUsabilityReason).toBe('EnabledByPolicy');
  });

  it('gives exactly one success to 20 simultaneous sign-ins on two servers, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      // A new user each round: the refused racers must not carry over into the next round's counters.
      const user = await freshUser(`race${round}`);
      const upn = user.userPrincipalName;
      const tap = await a.plugin.taps.create(user, { isUsableOnce: true }, byTest);
      const passcode = tap.temporaryAccessPass!;

      // 20 separate browsers, each with its own interaction, half on each server, all on the TAP step…
      const tabs = await Promise.all(Array.from({ length: 20 }, (_, i) => openTapStep(upn, i % 2 ? b.url : a.url)));
      // …then all press Sign in at once.
      const results = await Promise.all(tabs.map((t) => t.submit(passcode)));

      const winners = results.filter(tapAccepted);
      expect(winners, `round ${round}`).toHaveLength(1);
      const losers = results.filter((r) => !tapAccepted(r));
      expect(losers).toHaveLength(19);
      for (const l of losers) {
        expect(l.res.status).toBe(400);
        expect(pageError(l.html)).toBe(TAP_BLOCKED);
      }
      const after = (await a.plugin.taps.get(user))!;
      expect(after.id).toBe(tap.id);
      expect(after.methodUsabilityReason).toBe('OneTimeUsed');

      // The winner's sign-in is a real one: when it reached the callback of the relying party's own issuer,
      // redeem it.
      const winner = tabs[results.indexOf(winners[0]!)]!;
      if (winners[0]!.url.startsWith(REDIRECT_URI) && new URL(winner.authorizationUrl).origin === a.url) {
        const tokens = await redeem(rp, { ...winner, callback: winners[0]!.url });
        expect(tokens.claims()!.sub).toBe(user.id);
      }
    }
  });
});
