import type * as client from 'openid-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../src/directory/User.js';
import { TAP_INVALID as TAP_INVALID_MESSAGE } from '../src/methods/tap/TapMethod.js';
import { english } from './support/english.js';
import type { TapPolicy } from '../src/tap/TapPolicy.js';
import { useDeployment } from './support/deployment.js';
import { freshUser as freshUserOf } from './support/freshUser.js';
import { formAction, pageError } from './support/Browser.js';
import { startAuthorization, submitIdentifier } from './support/rp.js';
import { type TestServer } from './support/testServer.js';
import { tapAccepted } from './support/tapAccepted.js';
import { byTest } from './support/byTest.js';

const TAP_INVALID = english(TAP_INVALID_MESSAGE);

/*
 * docs/rules.md, "One TAP": methodUsabilityReason is EnabledByPolicy, NotYetValid, Expired, OneTimeUsed, DisabledByPolicy
 * (policy disabled, or the user out of scope, or a multi-use TAP while policy forces one-time) or LockedOut.
 * A user is asked for the TAP only while it is usable; otherwise the flow shows the password step (the
 * fallback, as for anyone without a usable TAP). A TAP submitted anyway, e.g. from a TAP step opened while it
 * was still usable, is refused: with the policy message where the passcode is right but policy (or one-time
 * use) blocks it, else with the one message that reveals nothing.
 */
const TAP_BLOCKED = 'Temporary Access Pass sign in was blocked due to User Credential Policy';

let server: TestServer;
let rp: client.Configuration;
let savedPolicy: TapPolicy;
useDeployment({}, (d) => ({ server, rp } = d));
// Every test leaves the policy as the test tenant's config set it.
beforeEach(async () => {
  savedPolicy = await server.plugin.taps.getPolicy();
  expect(savedPolicy.state).toBe('enabled');
});
afterEach(async () => {
  await server.plugin.taps.resetPolicy(byTest);
  await server.plugin.taps.updatePolicy({ ...savedPolicy }, byTest);
});

const taps = () => server.plugin.taps;
const reason = async (user: User) => (await taps().get(user))!;

const freshUser = (groups: string[] = []) => freshUserOf(server, 'usable', groups);

/**
 * A new sign-in for `upn`: what the step after the identifier is, and a way to submit a TAP to the TAP step of
 * this interaction whichever step was shown (as a stale or hand-made form would).
 */
async function startSignIn(upn: string) {
  const auth = await startAuthorization(rp);
  const step = await submitIdentifier(auth, upn);
  expect(step.res.status).toBe(200);
  const tapAction = formAction(step.html, step.url).replace(/\/method\/[^/?#]+$/, '/method/tap');
  return {
    step,
    offersTap: step.html.includes('name="tap"'),
    offersPassword: step.html.includes('name="password"'),
    async submitTap(tap: string) {
      const r = await auth.browser.submit(tapAction, { username: upn, tap });
      return { ...r, accepted: tapAccepted(r), error: pageError(r.html) };
    },
  };
}

/** Not asked for the TAP (the password step instead), and the TAP, if submitted, refused with `message`. */
async function expectRefusedAtSignIn(user: User, passcode: string, message: string) {
  const s = await startSignIn(user.userPrincipalName);
  expect(s.offersTap).toBe(false);
  expect(s.offersPassword).toBe(true);
  // Not asked for: no TAP field, nor the TAP step's words (the help desk's line names a TAP on every password step).
  expect(s.step.html).not.toMatch(/name="tap"|Enter Temporary Access Pass/);
  const r = await s.submitTap(passcode);
  expect(r.accepted).toBe(false);
  expect(r.res.status).toBe(400);
  expect(r.error).toBe(message);
  expect(r.html).not.toContain(passcode);
}

describe('methodUsabilityReason and what sign-in does with it', () => {
  it('NotYetValid before startDateTime: not offered, refused; at the start it is usable and signs in', async () => {
    const user = await freshUser();
    const start = new Date(server.clock.now() + 3_600_000).toISOString();
    const tap = await taps().create(user, { startDateTime: start, lifetimeInMinutes: 60 }, byTest);
    expect(tap).toMatchObject({ startDateTime: start, isUsable: false, methodUsabilityReason: 'NotYetValid' });
    expect(await reason(user)).toMatchObject({ isUsable: false, methodUsabilityReason: 'NotYetValid' });

    await expectRefusedAtSignIn(user, tap.temporaryAccessPass!, TAP_INVALID);

    server.clock.advance(3_600_000);
    expect(await reason(user)).toMatchObject({ isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
    const s = await startSignIn(user.userPrincipalName);
    expect(s.offersTap).toBe(true);
    expect((await s.submitTap(tap.temporaryAccessPass!)).accepted).toBe(true);
  });

  it('Expired once start + lifetime has passed: not offered, and a TAP step left open refuses it', async () => {
    const user = await freshUser();
    const tap = await taps().create(user, { lifetimeInMinutes: 10 }, byTest);
    expect(tap.methodUsabilityReason).toBe('EnabledByPolicy');
    const open = await startSignIn(user.userPrincipalName);
    expect(open.offersTap).toBe(true);

    server.clock.advance(10 * 60_000 - 5_000);
    expect((await reason(user)).methodUsabilityReason).toBe('EnabledByPolicy');
    server.clock.advance(5_000);
    expect(await reason(user)).toMatchObject({ isUsable: false, methodUsabilityReason: 'Expired' });

    const late = await open.submitTap(tap.temporaryAccessPass!);
    expect(late.accepted).toBe(false);
    expect(late.res.status).toBe(400);
    expect(late.error).toBe(TAP_INVALID);
    await expectRefusedAtSignIn(user, tap.temporaryAccessPass!, TAP_INVALID);
  });

  it('OneTimeUsed after a one-time TAP signed in: not offered again, refused with the policy message', async () => {
    const user = await freshUser();
    const tap = await taps().create(user, { isUsableOnce: true }, byTest);
    const s = await startSignIn(user.userPrincipalName);
    expect(s.offersTap).toBe(true);
    expect((await s.submitTap(tap.temporaryAccessPass!)).accepted).toBe(true);
    expect(await reason(user)).toMatchObject({ isUsableOnce: true, isUsable: false, methodUsabilityReason: 'OneTimeUsed' });
    await expectRefusedAtSignIn(user, tap.temporaryAccessPass!, TAP_BLOCKED);
  });

  describe('DisabledByPolicy', () => {
    it('when the policy is disabled; usable again once it is enabled', async () => {
      const user = await freshUser();
      const tap = await taps().create(user, {}, byTest);
      const open = await startSignIn(user.userPrincipalName);
      expect(open.offersTap).toBe(true);

      await taps().updatePolicy({ state: 'disabled' }, byTest);
      expect(await reason(user)).toMatchObject({ isUsable: false, methodUsabilityReason: 'DisabledByPolicy' });
      // The TAP step opened before the change, and a new sign-in: both refused.
      const stale = await open.submitTap(tap.temporaryAccessPass!);
      expect(stale.accepted).toBe(false);
      expect(stale.error).toBe(TAP_BLOCKED);
      await expectRefusedAtSignIn(user, tap.temporaryAccessPass!, TAP_BLOCKED);
      // A wrong passcode is still just wrong: the policy message is no oracle for the passcode.
      expect((await open.submitTap('WRONGPASS')).error).toBe(TAP_INVALID);

      await taps().updatePolicy({ state: 'enabled' }, byTest);
      expect((await reason(user)).methodUsabilityReason).toBe('EnabledByPolicy');
      expect((await open.submitTap(tap.temporaryAccessPass!)).accepted).toBe(true);
    });

    it('for a user in an excluded group (contractor@contoso.com in "contractors"), and only for them', async () => {
      const contractor = (await server.plugin.directory.findByUpn('contractor@contoso.com'))!;
      expect(contractor.groups).toContain('contractors');
      const other = await freshUser(['staff']);
      const tap = await taps().create(contractor, {}, byTest);
      const otherTap = await taps().create(other, {}, byTest);

      await taps().updatePolicy({ excludeTargets: [{ targetType: 'group', id: 'contractors' }] }, byTest);
      expect(await reason(contractor)).toMatchObject({ isUsable: false, methodUsabilityReason: 'DisabledByPolicy' });
      expect((await reason(other)).methodUsabilityReason).toBe('EnabledByPolicy');
      await expectRefusedAtSignIn(contractor, tap.temporaryAccessPass!, TAP_BLOCKED);
      const s = await startSignIn(other.userPrincipalName);
      expect(s.offersTap).toBe(true);
      expect((await s.submitTap(otherTap.temporaryAccessPass!)).accepted).toBe(true);
    });

    it('for a user excluded by name, even while a group of theirs is included (exclude wins)', async () => {
      const user = await freshUser(['new-hires']);
      const tap = await taps().create(user, {}, byTest);
      await taps().updatePolicy({
        includeTargets: [{ targetType: 'group', id: 'new-hires' }],
        excludeTargets: [{ targetType: 'user', id: user.userPrincipalName.toUpperCase() }],
      }, byTest);
      expect((await reason(user)).methodUsabilityReason).toBe('DisabledByPolicy');
      await expectRefusedAtSignIn(user, tap.temporaryAccessPass!, TAP_BLOCKED);
    });

    it('for a user not included (includeTargets a group they are not in), while members of it stay usable', async () => {
      const contractor = (await server.plugin.directory.findByUpn('contractor@contoso.com'))!;
      const hire = await freshUser(['new-hires']);
      const tap = await taps().create(contractor, {}, byTest);
      const hireTap = await taps().create(hire, {}, byTest);

      await taps().updatePolicy({ includeTargets: [{ targetType: 'group', id: 'new-hires' }] }, byTest);
      expect(await reason(contractor)).toMatchObject({ isUsable: false, methodUsabilityReason: 'DisabledByPolicy' });
      expect((await reason(hire)).methodUsabilityReason).toBe('EnabledByPolicy');
      await expectRefusedAtSignIn(contractor, tap.temporaryAccessPass!, TAP_BLOCKED);
      const s = await startSignIn(hire.userPrincipalName);
      expect(s.offersTap).toBe(true);
      expect((await s.submitTap(hireTap.temporaryAccessPass!)).accepted).toBe(true);

      // Including the user by id brings them back into scope.
      await taps().updatePolicy({ includeTargets: [{ targetType: 'group', id: 'new-hires' }, { targetType: 'user', id: contractor.id }] }, byTest);
      expect((await reason(contractor)).methodUsabilityReason).toBe('EnabledByPolicy');
    });

    it('for a multi-use TAP while the policy forces one-time; new TAPs are then one-time and usable', async () => {
      const user = await freshUser();
      const multi = await taps().create(user, { isUsableOnce: false }, byTest);
      expect(multi.methodUsabilityReason).toBe('EnabledByPolicy');

      await taps().updatePolicy({ isUsableOnce: true }, byTest);
      expect(await reason(user)).toMatchObject({ isUsableOnce: false, isUsable: false, methodUsabilityReason: 'DisabledByPolicy' });
      await expectRefusedAtSignIn(user, multi.temporaryAccessPass!, TAP_BLOCKED);

      // docs/rules.md: isUsableOnce false is refused while the policy forces one-time; the default is one-time.
      await expect(taps().create(user, { isUsableOnce: false }, byTest)).rejects.toMatchObject({ status: 400 });
      expect((await taps().get(user))!.id).toBe(multi.id);
      const once = await taps().create(user, {}, byTest);
      expect(once).toMatchObject({ isUsableOnce: true, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
      const s = await startSignIn(user.userPrincipalName);
      expect(s.offersTap).toBe(true);
      expect((await s.submitTap(once.temporaryAccessPass!)).accepted).toBe(true);
      expect((await reason(user)).methodUsabilityReason).toBe('OneTimeUsed');
    });
  });

  it('names one reason when several apply, in the order DisabledByPolicy, LockedOut, OneTimeUsed, Expired', async () => {
    const user = await freshUser();
    const tap = await taps().create(user, { isUsableOnce: true, lifetimeInMinutes: 10 }, byTest);
    expect((await (await startSignIn(user.userPrincipalName)).submitTap(tap.temporaryAccessPass!)).accepted).toBe(true);
    server.clock.advance(10 * 60_000);
    expect((await reason(user)).methodUsabilityReason).toBe('OneTimeUsed'); // used and expired
    // Guesses at a spent TAP count too: five from each of ten networks are the 50 in total that lock it…
    for (let n = 0; n < 10; n++) for (let i = 0; i < 5; i++) await taps().verify(user, user.userPrincipalName, `WRONG${i}XYZ`, `10.${n}.0.1`);
    expect((await reason(user)).methodUsabilityReason).toBe('LockedOut'); // …used, expired and locked
    await taps().updatePolicy({ state: 'disabled' }, byTest);
    expect((await reason(user)).methodUsabilityReason).toBe('DisabledByPolicy');
  });
});
