import { describe, expect, it } from 'vitest';
import type { TestServices } from '../../test/support/testServices.js';
import { useTestServices } from '../../test/support/useTestServices.js';
import { addToIndexScript } from './addToIndexScript.js';
import { keys } from './keys.js';
import { RequestScope } from './RequestScope.js';
import { requestScopedClient } from './requestScopedClient.js';

let s: TestServices;
useTestServices({}, (x) => (s = x));

let seq = 0;
const id = (prefix: string) => `${prefix}-${(seq += 1)}-scope`;

describe('a request scope around the adapter', () => {
  it('sends the saves of a request when it ends, and the request reads its own saves meanwhile', async () => {
    const adapter = new s.Adapter('Interaction');
    const uid = id('int');
    await RequestScope.run(async () => {
      await adapter.upsert(uid, { jti: uid, params: { n: 1 } }, 60);
      await adapter.upsert(uid, { jti: uid, params: { n: 2 } }, 60);
      expect(await s.redis.exists(keys.model('Interaction', uid))).toBe(0);
      expect(await adapter.find(uid)).toMatchObject({ params: { n: 2 } });
    });
    // Sent once the request's handling ended: the last save of the key.
    expect(JSON.parse((await s.redis.hget(keys.model('Interaction', uid), 'p'))!)).toMatchObject({ params: { n: 2 } });
  });

  it('reads a model from Redis once per request', async () => {
    const adapter = new s.Adapter('Grant');
    const grantId = id('grant');
    await adapter.upsert(grantId, { jti: grantId, accountId: 'a', clientId: 'c' }, 60);
    await RequestScope.run(async () => {
      expect(await adapter.find(grantId)).toMatchObject({ clientId: 'c' });
      // Another server changes it: this request keeps the copy it read.
      await s.redis.hset(keys.model('Grant', grantId), 'p', JSON.stringify({ jti: grantId, accountId: 'a', clientId: 'other' }));
      expect(await adapter.find(grantId)).toMatchObject({ clientId: 'c' });
    });
    expect(await adapter.find(grantId)).toMatchObject({ clientId: 'other' });
  });

  it('does not find a model the request deleted, and finds one it consumed as consumed', async () => {
    const codes = new s.Adapter('AuthorizationCode');
    const sessions = new s.Adapter('Session');
    const code = id('code');
    const session = id('session');
    await codes.upsert(code, { jti: code, grantId: id('g') }, 60);
    await sessions.upsert(session, { jti: session, uid: id('uid') }, 60);
    await RequestScope.run(async () => {
      await sessions.find(session);
      await sessions.destroy(session);
      expect(await sessions.find(session)).toBeUndefined();
      await codes.find(code);
      await codes.consume(code);
      expect((await codes.find(code))?.consumed).toBeGreaterThan(0);
    });
    expect(await s.redis.exists(keys.model('Session', session))).toBe(0);
  });

  it('revokes with a grant the tokens saved earlier in the same request', async () => {
    const tokens = new s.Adapter('AccessToken');
    const grants = new s.Adapter('Grant');
    const grantId = id('grant');
    const token = id('at');
    await RequestScope.run(async () => {
      await tokens.upsert(token, { jti: token, grantId }, 60);
      await grants.revokeByGrantId(grantId);
      expect(await tokens.find(token)).toBeUndefined();
    });
    expect(await tokens.find(token)).toBeUndefined();
    expect(await s.redis.exists(keys.model('AccessToken', token))).toBe(0);
  });

  it('sends the saves of a request that failed too', async () => {
    const adapter = new s.Adapter('Interaction');
    const uid = id('int');
    await expect(
      RequestScope.run(async () => {
        await adapter.upsert(uid, { jti: uid }, 60);
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');
    expect(await s.redis.exists(keys.model('Interaction', uid))).toBe(1);
  });

  it('lets work that outlives the request write to Redis at once', async () => {
    const adapter = new s.Adapter('Interaction');
    const uid = id('int');
    let later: Promise<void> | undefined;
    await RequestScope.run(async () => {
      // Started by the request, run after its response (an event handler, a timer).
      later = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => adapter.upsert(uid, { jti: uid }, 60));
    });
    await later;
    expect(await s.redis.exists(keys.model('Interaction', uid))).toBe(1);
  });
});

describe('requestScopedClient', () => {
  it('answers a request the same read once, forgets it when the request writes the key, and reads live outside a request', async () => {
    const redis = requestScopedClient(s.redis);
    const key = `scoped:{${id('k')}}`;
    await s.redis.set(key, 'one');
    await RequestScope.run(async () => {
      expect(await redis.get(key)).toBe('one');
      await s.redis.set(key, 'two'); // by someone else: this request keeps what it read
      expect(await redis.get(key)).toBe('one');
      await redis.set(key, 'three'); // by this request: read again
      expect(await redis.get(key)).toBe('three');
    });
    await s.redis.set(key, 'four');
    expect(await redis.get(key)).toBe('four');
  });

  it("forgets what a script's keys held, and gives each reader its own copy of a hash", async () => {
    const redis = requestScopedClient(s.redis);
    const set = `scoped:{${id('set')}}`;
    const hash = `scoped:{${id('hash')}}`;
    await s.redis.hset(hash, 'a', '1');
    await RequestScope.run(async () => {
      expect(await redis.smembers(set)).toEqual([]);
      await addToIndexScript.run(redis, { keys: { set }, args: { member: 'm', expiresAtMs: Date.now() + 60_000 } });
      expect(await redis.smembers(set)).toEqual(['m']);
      const first = await redis.hgetall(hash);
      first.a = 'changed by a caller';
      expect(await redis.hgetall(hash)).toEqual({ a: '1' });
    });
  });
});
