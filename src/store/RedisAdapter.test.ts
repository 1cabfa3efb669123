import { createHash } from 'node:crypto';
import { errors } from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { freshUser } from '../../test/support/freshUser.js';
import type { TestServices } from '../../test/support/testServices.js';
import { useTestServices } from '../../test/support/useTestServices.js';
import { keys } from './keys.js';
import { byTest } from '../../test/support/byTest.js';

let s: TestServices;
useTestServices({}, (x) => (s = x));

let seq = 0;
const id = (prefix: string) => `${prefix}-${(seq += 1)}-secret-value`;
const digest = (v: string) => createHash('sha256').update(v).digest('base64url');

describe('RedisAdapter', () => {
  it('stores a bearer model under a digest of its id, without the id, and finds it by the id', async () => {
    const adapter = new s.Adapter('AccessToken');
    const token = id('at');
    await adapter.upsert(token, { jti: token, accountId: 'u1', kind: 'AccessToken' }, 60);
    expect(await s.redis.exists(`oidc:AccessToken:{${token}}`)).toBe(0);
    const stored = await s.redis.hget(`oidc:AccessToken:{${digest(token)}}`, 'p');
    expect(stored).toBeTruthy();
    expect(stored).not.toContain(token);
    expect(await adapter.find(token)).toMatchObject({ jti: token, accountId: 'u1' });
    expect(await adapter.find(id('at'))).toBeUndefined();
  });

  it('stores a model that is no secret under its own id, and leaves out the cookie an interaction remembers', async () => {
    const adapter = new s.Adapter('Interaction');
    const interaction = id('int');
    await adapter.upsert(interaction, { jti: interaction, session: { cookie: 'session-cookie-value', uid: 'uid-1' } }, 60);
    const stored = await s.redis.hget(keys.storedModel('Interaction', interaction), 'p');
    expect(stored).not.toContain('session-cookie-value');
    expect(await adapter.find(interaction)).toMatchObject({ jti: interaction, session: { uid: 'uid-1' } });
  });

  it('expires what it stores with the lifetime oidc-provider gives, and the grant index no earlier', async () => {
    const adapter = new s.Adapter('RefreshToken');
    const token = id('rt');
    const grantId = id('grant');
    await adapter.upsert(token, { jti: token, grantId }, 120);
    const ttl = await s.redis.pttl(keys.model('RefreshToken', token));
    expect(ttl).toBeGreaterThan(118_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect(await s.redis.pexpiretime(keys.grantMembers(grantId))).toBeGreaterThanOrEqual(await s.redis.pexpiretime(keys.model('RefreshToken', token)));
  });

  it('consumes a code once: the second consumption, as by a second server, is invalid_grant', async () => {
    const adapter = new s.Adapter('AuthorizationCode');
    const code = id('code');
    await adapter.upsert(code, { jti: code, grantId: id('grant') }, 60);
    const [first, second] = await Promise.allSettled([adapter.consume(code), adapter.consume(code)]);
    const outcomes = [first.status, second.status].sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const refused = [first, second].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(errors.InvalidGrant);
    expect((await adapter.find(code))?.consumed).toBeGreaterThan(0);
    // What is not redeemed (an interaction) may be marked more than once.
    const interactions = new s.Adapter('Interaction');
    const interaction = id('int');
    await interactions.upsert(interaction, { jti: interaction }, 60);
    await interactions.consume(interaction);
    await expect(interactions.consume(interaction)).resolves.toBeUndefined();
  });

  it('finds a session by its uid until it is destroyed', async () => {
    const adapter = new s.Adapter('Session');
    const session = id('sess');
    const uid = id('uid');
    await adapter.upsert(session, { jti: session, uid, accountId: 'u-sess' }, 60);
    expect(await adapter.findByUid(uid)).toMatchObject({ uid, accountId: 'u-sess' });
    expect(await s.redis.sismember(keys.accountIndex('u-sess'), `Session:${digest(session)}`)).toBe(1);
    await adapter.destroy(session);
    expect(await adapter.find(session)).toBeUndefined();
    expect(await adapter.findByUid(uid)).toBeUndefined();
    expect(await s.redis.exists(keys.sessionUid(uid))).toBe(0);
  });

  it('revokes every token of a grant at once', async () => {
    const grantId = id('grant');
    const access = new s.Adapter('AccessToken');
    const refresh = new s.Adapter('RefreshToken');
    const at = id('at');
    const rt = id('rt');
    await access.upsert(at, { jti: at, grantId }, 60);
    await refresh.upsert(rt, { jti: rt, grantId }, 600);
    const otherGrant = id('at');
    await access.upsert(otherGrant, { jti: otherGrant, grantId: id('grant') }, 60);
    await access.revokeByGrantId(grantId);
    expect(await access.find(at)).toBeUndefined();
    expect(await refresh.find(rt)).toBeUndefined();
    expect(await s.redis.exists(keys.grantMembers(grantId))).toBe(0);
    expect(await access.find(otherGrant)).toBeDefined();
  });

  it('indexes a TAP sign-in’s session under its TAP while the TAP is the user’s, and ends it otherwise', async () => {
    await s.taps.updatePolicy({ state: 'enabled', minimumLifetimeInMinutes: 10 }, byTest);
    const user = await freshUser(s, 'adapter-unit');
    const tap = await s.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    const adapter = new s.Adapter('Session');
    const session = id('sess');
    s.tapSessions.set(session, { accountId: user.id, tapId: tap.id });
    await adapter.upsert(session, { jti: session, uid: id('uid'), accountId: user.id, amr: ['tap'] }, 60);
    expect(await s.redis.sismember(keys.tapIndex(user.id, tap.id), `Session:${digest(session)}`)).toBe(1);
    expect(s.tapSessions.has(session)).toBe(false);

    await s.taps.delete(user, tap.id, byTest);
    const late = id('sess');
    s.tapSessions.set(late, { accountId: user.id, tapId: tap.id });
    await adapter.upsert(late, { jti: late, uid: id('uid'), accountId: user.id, amr: ['tap'] }, 60);
    expect(await adapter.find(late)).toBeUndefined();
  });
});
