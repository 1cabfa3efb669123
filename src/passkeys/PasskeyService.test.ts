import { beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../directory/User.js';
import { keys } from '../store/keys.js';
import { freshUser } from '../../test/support/freshUser.js';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from '../../test/support/SoftAuthenticator.ts';
import type { TestServices } from '../../test/support/testServices.js';
import { useTestServices } from '../../test/support/useTestServices.js';
import { PASSKEY_EXPIRED, PASSKEY_FAILED, PASSKEY_UNKNOWN } from './PasskeyService.js';
import { byTest } from '../../test/support/byTest.js';

const ISSUER = 'http://localhost';
let s: TestServices;
useTestServices({ issuer: ISSUER }, (x) => (s = x));
beforeAll(async () => {
  await s.taps.updatePolicy({ state: 'enabled', minimumLifetimeInMinutes: 10 }, byTest);
});

/** A registration answer of `authenticator` to fresh options for `purpose`. */
async function created(user: User, authenticator: SoftAuthenticator, purpose = 'reg') {
  return authenticator.create((await s.passkeys.registrationOptions(user, purpose)) as CreationOptions);
}

/** A sign-in answer of `authenticator` with `credential` to fresh options for `purpose`. */
async function asserted(authenticator: SoftAuthenticator, credential: ReturnType<SoftAuthenticator['create']>['credential'], purpose = 'signin') {
  return authenticator.get((await s.passkeys.authenticationOptions(purpose)) as RequestOptions, credential);
}

describe('PasskeyService', () => {
  it('registers a passkey once per challenge and purpose, and keeps it with its owner', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const authenticator = new SoftAuthenticator(ISSUER);
    const answer = await created(user, authenticator);
    expect(await s.passkeys.register(user, 'other-purpose', answer.response, undefined, byTest)).toEqual({ ok: false, error: PASSKEY_EXPIRED });
    const answer2 = await created(user, authenticator);
    const result = await s.passkeys.register(user, 'reg', answer2.response, 'Laptop', byTest);
    expect(result).toMatchObject({ ok: true, passkey: { id: answer2.credential.id, userId: user.id, name: 'Laptop' } });
    expect(await s.passkeys.register(user, 'reg', answer2.response, undefined, byTest)).toEqual({ ok: false, error: PASSKEY_EXPIRED });
    expect(await s.passkeys.count(user.id)).toBe(1);
    expect(await s.redis.get(keys.credentialOwner(answer2.credential.id))).toBe(user.id);
    expect(await s.redis.pttl(keys.credentialOwner(answer2.credential.id))).toBe(-1);
    expect(await s.passkeys.register(user, 'reg', 'not json', undefined, byTest)).toMatchObject({ ok: false });
  });

  it('refuses an answer made for another origin', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const elsewhere = new SoftAuthenticator('http://evil.example');
    const options = (await s.passkeys.registrationOptions(user, 'reg')) as CreationOptions;
    const answer = elsewhere.create({ ...options, rp: { ...options.rp, id: 'localhost' } });
    expect(await s.passkeys.register(user, 'reg', answer.response, undefined, byTest)).toMatchObject({ ok: false });
    expect(await s.passkeys.count(user.id)).toBe(0);
  });

  it('verifies a registration without keeping it, claiming the credential id for an hour', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const answer = await created(user, new SoftAuthenticator(ISSUER));
    const result = await s.passkeys.verifyRegistration(user, 'reg', answer.response);
    expect(result.ok).toBe(true);
    expect(await s.passkeys.count(user.id)).toBe(0);
    const ttl = await s.redis.pttl(keys.credentialOwner(answer.credential.id));
    expect(ttl).toBeGreaterThan(3500_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
  });

  it('stores a passkey under the TAP of its sign-in only while that TAP is the user’s, releasing the id otherwise', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const tap = await s.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    const authenticator = new SoftAuthenticator(ISSUER);
    const kept = await s.passkeys.verifyRegistration(user, 'reg', (await created(user, authenticator)).response);
    if (!kept.ok) throw new Error(kept.error.id);
    expect(await s.passkeys.storeUnderTap(user, kept.passkey, tap.id, byTest)).toBe(true);
    expect(await s.passkeys.get(user.id, kept.passkey.id)).toMatchObject({ id: kept.passkey.id });
    expect(await s.redis.pttl(keys.credentialOwner(kept.passkey.id))).toBe(-1);

    const late = await s.passkeys.verifyRegistration(user, 'reg', (await created(user, authenticator)).response);
    if (!late.ok) throw new Error(late.error.id);
    await s.taps.delete(user, tap.id, byTest);
    expect(await s.passkeys.storeUnderTap(user, late.passkey, tap.id, byTest)).toBe(false);
    expect(await s.passkeys.get(user.id, late.passkey.id)).toBeUndefined();
    expect(await s.redis.exists(keys.credentialOwner(late.passkey.id))).toBe(0);
  });

  it('checks a sign-in with a passkey not stored yet against that passkey alone', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const authenticator = new SoftAuthenticator(ISSUER);
    const answer = await created(user, authenticator);
    const verified = await s.passkeys.verifyRegistration(user, 'reg', answer.response);
    if (!verified.ok) throw new Error(verified.error.id);
    const other = await created(user, authenticator);
    expect(await s.passkeys.authenticateWith('confirm', await asserted(authenticator, other.credential, 'confirm'), verified.passkey)).toEqual({ ok: false, error: PASSKEY_FAILED });
    const result = await s.passkeys.authenticateWith('confirm', await asserted(authenticator, answer.credential, 'confirm'), verified.passkey);
    expect(result).toMatchObject({ ok: true, passkey: { id: verified.passkey.id } });
    expect(result.ok && result.passkey.lastUsedAt).toBeGreaterThan(0);
    expect(await s.passkeys.count(user.id)).toBe(0);
  });

  it('signs in with a stored passkey, once per challenge, and only as its owner', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const someoneElse = await freshUser(s, 'passkey-unit');
    const authenticator = new SoftAuthenticator(ISSUER);
    const answer = await created(user, authenticator);
    expect((await s.passkeys.register(user, 'reg', answer.response, undefined, byTest)).ok).toBe(true);

    const assertion = await asserted(authenticator, answer.credential);
    const result = await s.passkeys.authenticate('signin', assertion);
    expect(result).toMatchObject({ ok: true, passkey: { id: answer.credential.id, userId: user.id } });
    expect((await s.passkeys.get(user.id, answer.credential.id))?.lastUsedAt).toBeGreaterThan(0);
    expect(await s.passkeys.authenticate('signin', assertion)).toEqual({ ok: false, error: PASSKEY_EXPIRED });
    expect(await s.passkeys.authenticate('signin', await asserted(authenticator, answer.credential), someoneElse.id)).toEqual({ ok: false, error: PASSKEY_UNKNOWN });
    expect(await s.passkeys.authenticate('signin', await asserted(authenticator, answer.credential), user.id)).toMatchObject({ ok: true });
    expect(await s.passkeys.authenticate('signin', '{}')).toEqual({ ok: false, error: PASSKEY_FAILED });
  });

  it('deletes a passkey and its claim, and keeps the last one when asked to', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const authenticator = new SoftAuthenticator(ISSUER);
    const first = await created(user, authenticator);
    const kept = await s.passkeys.register(user, 'reg', first.response, undefined, byTest);
    if (!kept.ok) throw new Error(kept.error.id);
    expect(await s.passkeys.delete(user, kept.passkey, byTest, { keepLast: true })).toBe('last');
    const second = await created(user, authenticator);
    const other = await s.passkeys.register(user, 'reg', second.response, undefined, byTest);
    if (!other.ok) throw new Error(other.error.id);
    expect(await s.passkeys.delete(user, kept.passkey, byTest, { keepLast: true })).toBe(true);
    expect(await s.redis.exists(keys.credentialOwner(first.credential.id))).toBe(0);
    expect(await s.passkeys.authenticate('signin', await asserted(authenticator, first.credential))).toEqual({ ok: false, error: PASSKEY_UNKNOWN });
    expect(await s.passkeys.delete(user, kept.passkey, byTest)).toBe(false);
    expect(await s.passkeys.delete(user, other.passkey, byTest)).toBe(true);
    expect(await s.passkeys.count(user.id)).toBe(0);
  });
});

describe('a passkey whose authenticator named no transports', () => {
  it('keeps them a list through sign-ins and renames, so that its WebAuthn options and audit records still work', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const authenticator = new SoftAuthenticator(ISSUER);
    authenticator.transports = [];
    const answer = await created(user, authenticator);
    expect(await s.passkeys.register(user, 'reg', answer.response, 'Bare key', byTest)).toMatchObject({ ok: true });
    // A sign-in and a rename each rewrite the stored record in a script.
    expect(await s.passkeys.authenticate('signin', await asserted(authenticator, answer.credential), user.id)).toMatchObject({ ok: true });
    const [passkey] = await s.passkeys.list(user.id);
    expect(await s.passkeys.rename(user, passkey!, 'Renamed once', byTest)).toBe(true);
    expect(await s.passkeys.rename(user, (await s.passkeys.get(user.id, passkey!.id))!, 'Renamed twice', byTest)).toBe(true);
    expect(JSON.parse((await s.redis.hget(keys.passkeys(user.id), passkey!.id))!)).toMatchObject({ transports: [], name: 'Renamed twice', lastUsedAt: expect.any(Number) as number });
    const allowed = await s.passkeys.authenticationOptions('signin', await s.passkeys.list(user.id));
    expect(allowed.allowCredentials).toEqual([{ id: passkey!.id, type: 'public-key', transports: [] }]);
    expect(await s.passkeys.authenticate('signin', await asserted(authenticator, answer.credential), user.id)).toMatchObject({ ok: true });
  });

  it('reads a record an older version rewrote with the list as {} as the empty list it was', async () => {
    const user = await freshUser(s, 'passkey-unit');
    const answer = await created(user, new SoftAuthenticator(ISSUER));
    expect(await s.passkeys.register(user, 'reg', answer.response, 'Old record', byTest)).toMatchObject({ ok: true });
    const stored = JSON.parse((await s.redis.hget(keys.passkeys(user.id), answer.credential.id))!) as Record<string, unknown>;
    await s.redis.hset(keys.passkeys(user.id), answer.credential.id, JSON.stringify({ ...stored, transports: {} }));
    const [passkey] = await s.passkeys.list(user.id);
    expect(passkey!.transports).toEqual([]);
    expect(await s.passkeys.rename(user, passkey!, 'Still renamable', byTest)).toBe(true);
  });
});
