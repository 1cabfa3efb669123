import { beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError } from '../errors.js';
import { keys } from '../store/keys.js';
import { freshUser } from '../../test/support/freshUser.js';
import type { TestServices } from '../../test/support/testServices.js';
import { useTestServices } from '../../test/support/useTestServices.js';
import { byTest } from '../../test/support/byTest.js';

let s: TestServices;
// Small lockout numbers, so a few tries reach each stage.
useTestServices({ lockout: { tapDelayAfterFailures: 2, tapLockAfterFailures: 4, tapLockAfterTotalFailures: 6, tapFirstDelaySeconds: 30, tapMaxDelaySeconds: 60 } }, (x) => (s = x));
beforeEach(async () => {
  s.clock.offsetMs = 0;
  await s.taps.resetPolicy(byTest);
  await s.taps.updatePolicy({ state: 'enabled', minimumLifetimeInMinutes: 10 }, byTest);
});

const IP = '198.51.100.7';

describe('TapService', () => {
  it('shows the passcode only in what create returns, and keeps only its salted digest', async () => {
    const user = await freshUser(s, 'tap-unit');
    const created = await s.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    expect(created.temporaryAccessPass).toMatch(/^\S{8}$/);
    expect(created).toMatchObject({ lifetimeInMinutes: 30, isUsableOnce: false, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
    const read = await s.taps.get(user);
    expect(read).toMatchObject({ id: created.id, temporaryAccessPass: null });
    const stored = await s.redis.hgetall(keys.tap(user.id));
    expect(JSON.stringify(stored)).not.toContain(created.temporaryAccessPass);
  });

  it('refuses a lifetime outside the policy, an external guest, and a multi-use TAP the policy forbids', async () => {
    const user = await freshUser(s, 'tap-unit');
    await expect(s.taps.create(user, { lifetimeInMinutes: 5 }, byTest)).rejects.toBeInstanceOf(BadRequestError);
    await expect(s.taps.create(user, { lifetimeInMinutes: 481 }, byTest)).rejects.toBeInstanceOf(BadRequestError);
    await expect(s.taps.create(user, { startDateTime: 'tomorrow' }, byTest)).rejects.toBeInstanceOf(BadRequestError);
    const guest = await s.directory.importSeed({ userPrincipalName: 'external-guest@partner.com', displayName: 'Guest', userType: 'Guest', guestOrigin: 'external', roles: [], groups: [] });
    await expect(s.taps.create(guest, {}, byTest)).rejects.toBeInstanceOf(BadRequestError);
    await s.taps.updatePolicy({ isUsableOnce: true }, byTest);
    await expect(s.taps.create(user, { isUsableOnce: false }, byTest)).rejects.toBeInstanceOf(BadRequestError);
    expect(await s.taps.get(user)).toBeUndefined();
  });

  it('replaces the previous TAP: its passcode stops working and its failures go with it', async () => {
    const user = await freshUser(s, 'tap-unit');
    const first = await s.taps.create(user, {}, byTest);
    expect(await s.taps.verify(user, user.userPrincipalName, 'wrong-one', IP)).toMatchObject({ ok: false, outcome: 'wrong' });
    expect(await s.redis.exists(keys.tapFailures(user.id, first.id))).toBe(1);
    const second = await s.taps.create(user, {}, byTest);
    expect(second.id).not.toBe(first.id);
    expect(await s.redis.exists(keys.tapFailures(user.id, first.id))).toBe(0);
    expect(await s.taps.verify(user, user.userPrincipalName, first.temporaryAccessPass!, IP)).toMatchObject({ ok: false, reason: 'WrongPasscode', tapId: second.id });
    expect(await s.taps.verify(user, user.userPrincipalName, second.temporaryAccessPass!, IP)).toMatchObject({ ok: true, tapId: second.id });
  });

  it('deletes a TAP by its id or whichever there is, and says NotFound for another id or none', async () => {
    const user = await freshUser(s, 'tap-unit');
    const tap = await s.taps.create(user, {}, byTest);
    await expect(s.taps.delete(user, 'not-its-id', byTest)).rejects.toBeInstanceOf(NotFoundError);
    expect(await s.taps.get(user)).toBeDefined();
    await s.taps.delete(user, tap.id, byTest);
    expect(await s.taps.get(user)).toBeUndefined();
    await expect(s.taps.delete(user, undefined, byTest)).rejects.toBeInstanceOf(NotFoundError);
    await s.taps.create(user, {}, byTest);
    await s.taps.delete(user, undefined, byTest);
    expect(await s.taps.get(user)).toBeUndefined();
  });

  it('verifies a passcode once for a one-time TAP, and says why it refuses', async () => {
    const user = await freshUser(s, 'tap-unit');
    const tap = await s.taps.create(user, { isUsableOnce: true }, byTest);
    const ok = await s.taps.verify(user, user.userPrincipalName, tap.temporaryAccessPass!, IP);
    expect(ok).toMatchObject({ ok: true, tapId: tap.id, once: true });
    expect(await s.taps.verify(user, user.userPrincipalName, tap.temporaryAccessPass!, IP)).toMatchObject({ ok: false, outcome: 'blocked', reason: 'OneTimeUsed' });
    expect((await s.taps.get(user))?.methodUsabilityReason).toBe('OneTimeUsed');
  });

  it('refuses a TAP before its start, after its end, and while the policy is disabled', async () => {
    const user = await freshUser(s, 'tap-unit');
    const later = await s.taps.create(user, { startDateTime: new Date(s.clock.now() + 3600_000).toISOString(), lifetimeInMinutes: 60 }, byTest);
    expect(await s.taps.verify(user, user.userPrincipalName, later.temporaryAccessPass!, IP)).toMatchObject({ ok: false, reason: 'NotYetValid' });
    const now = await s.taps.create(user, { lifetimeInMinutes: 60 }, byTest);
    await s.taps.updatePolicy({ state: 'disabled' }, byTest);
    expect(await s.taps.verify(user, user.userPrincipalName, now.temporaryAccessPass!, IP)).toMatchObject({ ok: false, outcome: 'blocked', reason: 'DisabledByPolicy' });
    await s.taps.updatePolicy({ state: 'enabled' }, byTest);
    s.clock.advance(61 * 60_000);
    expect(await s.taps.verify(user, user.userPrincipalName, now.temporaryAccessPass!, IP)).toMatchObject({ ok: false, reason: 'Expired' });
  });

  it('answers a name without a TAP, or without an account, as a wrong passcode', async () => {
    const user = await freshUser(s, 'tap-unit');
    expect(await s.taps.verify(user, user.userPrincipalName, 'anything', IP)).toMatchObject({ ok: false, tapId: '' });
    expect(await s.taps.verify(undefined, 'nobody@contoso.com', 'anything', IP)).toMatchObject({ ok: false, tapId: '', lockedNow: false });
  });

  it('makes a network wait, then locks it out, then locks the TAP; unlock clears it all and keeps the passcode', async () => {
    const user = await freshUser(s, 'tap-unit');
    // Long enough to outlast the waits below.
    const tap = await s.taps.create(user, { lifetimeInMinutes: 240 }, byTest);
    const wrong = (ip = IP) => s.taps.verify(user, user.userPrincipalName, 'wrong-one', ip);
    expect(await wrong()).toMatchObject({ outcome: 'wrong', failures: 1, retryAfterMs: 0 });
    expect(await wrong()).toMatchObject({ outcome: 'wrong', failures: 2, retryAfterMs: 30_000 });
    // Refused unchecked while it waits, even with the right passcode.
    expect(await s.taps.verify(user, user.userPrincipalName, tap.temporaryAccessPass!, IP)).toMatchObject({ ok: false, outcome: 'throttled' });
    s.clock.advance(31_000);
    expect(await wrong()).toMatchObject({ outcome: 'wrong', failures: 3 });
    s.clock.advance(61_000);
    expect(await wrong()).toMatchObject({ outcome: 'networkLocked', failures: 4 });
    s.clock.advance(3600_000);
    expect(await s.taps.verify(user, user.userPrincipalName, tap.temporaryAccessPass!, IP)).toMatchObject({ ok: false, outcome: 'networkLocked' });
    // Another network may still try, until the TAP's total locks it.
    expect(await wrong('203.0.113.9')).toMatchObject({ outcome: 'wrong', failures: 1, totalFailures: 5 });
    expect(await wrong('203.0.113.9')).toMatchObject({ outcome: 'locked', lockedNow: true, totalFailures: 6 });
    expect(await s.taps.get(user)).toMatchObject({ isUsable: false, methodUsabilityReason: 'LockedOut', 'oidcTap.isLockedOut': true });
    expect(await s.taps.failureCount(user)).toBe(6);

    const unlocked = await s.taps.unlock(user, tap.id, byTest);
    expect(unlocked).toMatchObject({ id: tap.id, isUsable: true, 'oidcTap.failureCount': 0, 'oidcTap.failureSources': [] });
    expect(await s.taps.verify(user, user.userPrincipalName, tap.temporaryAccessPass!, IP)).toMatchObject({ ok: true });
    await expect(s.taps.unlock(user, 'not-its-id', byTest)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets the TAP a sign-in began with carry it while it lasts, also a one-time TAP that sign-in used', async () => {
    const user = await freshUser(s, 'tap-unit');
    const tap = await s.taps.create(user, { isUsableOnce: true, lifetimeInMinutes: 30 }, byTest);
    expect(await s.taps.verify(user, user.userPrincipalName, tap.temporaryAccessPass!, IP)).toMatchObject({ ok: true });
    expect((await s.taps.carrying(user, tap.id))?.id).toBe(tap.id);
    expect(await s.taps.usableTap(user)).toBeUndefined();
    expect(await s.taps.carrying(user, 'another-id')).toBeUndefined();
    s.clock.advance(31 * 60_000);
    expect(await s.taps.carrying(user, tap.id)).toBeUndefined();
    s.clock.offsetMs = 0;
    const replacement = await s.taps.create(user, {}, byTest);
    expect(await s.taps.carrying(user, tap.id)).toBeUndefined();
    expect((await s.taps.carrying(user, replacement.id))?.id).toBe(replacement.id);
  });

  it('revokes what a TAP granted when it is replaced or deleted while usable, and not once it has expired', async () => {
    const user = await freshUser(s, 'tap-unit');
    const tap = await s.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    await s.redis.hset(keys.storedModel('Session', 'sess-1'), 'p', '{}');
    await s.redis.sadd(keys.tapIndex(user.id, tap.id), 'Session:sess-1');
    await s.taps.delete(user, tap.id, byTest);
    expect(await s.redis.exists(keys.storedModel('Session', 'sess-1'))).toBe(0);

    const old = await s.taps.create(user, { lifetimeInMinutes: 10 }, byTest);
    await s.redis.hset(keys.storedModel('Session', 'sess-2'), 'p', '{}');
    await s.redis.sadd(keys.tapIndex(user.id, old.id), 'Session:sess-2');
    s.clock.advance(11 * 60_000);
    await s.taps.create(user, {}, byTest);
    expect(await s.redis.exists(keys.storedModel('Session', 'sess-2'))).toBe(1);
  });

  it('applies a policy change only when the whole result is valid, and keeps two changes made at once', async () => {
    await expect(s.taps.updatePolicy({ minimumLifetimeInMinutes: 600 }, byTest)).rejects.toBeInstanceOf(BadRequestError);
    expect((await s.taps.getPolicy()).minimumLifetimeInMinutes).toBe(10);
    await Promise.all([s.taps.updatePolicy({ defaultLength: 12 }, byTest), s.taps.updatePolicy({ isUsableOnce: true }, byTest), s.taps.updatePolicy({ maximumLifetimeInMinutes: 240 }, byTest)]);
    expect(await s.taps.getPolicy()).toMatchObject({ state: 'enabled', defaultLength: 12, isUsableOnce: true, maximumLifetimeInMinutes: 240, minimumLifetimeInMinutes: 10 });
    const user = await freshUser(s, 'tap-unit');
    expect((await s.taps.create(user, {}, byTest)).temporaryAccessPass).toHaveLength(12);
    expect(await s.taps.resetPolicy(byTest)).toMatchObject({ state: 'disabled' });
  });
});
