import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { keys } from '../src/store/keys.js';
import { useDeployment } from './support/deployment.js';
import { redeem, signIn } from './support/rp.js';
import { type TestServer } from './support/testServer.js';
import { byTest } from './support/byTest.js';

let server: TestServer;
let rp: client.Configuration;
useDeployment({}, (d) => ({ server, rp } = d));

/** Redis Cluster hashes only the part in braces; keys a script touches together must share it. */
function slotTag(key: string): string | undefined {
  return /\{([^}]+)\}/.exec(key)?.[1];
}

describe('the Redis adapter', () => {
  it('indexes a TAP sign-in under the account and the TAP, and every index outlives its members', async () => {
    const user = (await server.plugin.directory.findByUpn('jdoe@contoso.com'))!;
    const tap = await server.plugin.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    await redeem(rp, await signIn(rp, 'jdoe@contoso.com', { tap: tap.temporaryAccessPass! }));

    const tapIndex = await server.redis.smembers(keys.tapIndex(user.id, tap.id));
    expect(tapIndex.some((m) => m.startsWith('Grant:'))).toBe(true);
    expect(tapIndex.some((m) => m.startsWith('Session:'))).toBe(true);
    const accountIndex = await server.redis.smembers(keys.accountIndex(user.id));
    for (const m of tapIndex) expect(accountIndex).toContain(m);

    for (const indexKey of [keys.tapIndex(user.id, tap.id), keys.accountIndex(user.id)]) {
      const indexExpiry = await server.redis.pexpiretime(indexKey);
      for (const member of await server.redis.smembers(indexKey)) {
        const [model, id] = member.split(':') as [string, string];
        const memberExpiry = await server.redis.pexpiretime(keys.storedModel(model, id));
        expect(memberExpiry).toBeGreaterThan(0);
        expect(indexExpiry).toBeGreaterThanOrEqual(memberExpiry);
      }
    }
    // A grant's token index lives as long as its longest token.
    const grantId = tapIndex.find((m) => m.startsWith('Grant:'))!.slice('Grant:'.length);
    const grantIndex = keys.grantMembers(grantId);
    const tokens = await server.redis.smembers(grantIndex);
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(await server.redis.pexpiretime(grantIndex)).toBeGreaterThanOrEqual(await server.redis.pexpiretime(t));
  });

  it('gives every key a hash tag, and the keys a Lua script shares the same one (Redis Cluster)', async () => {
    expect(slotTag(keys.tap('u1'))).toBe(slotTag(keys.tapFailures('u1', 't1')));
    expect(slotTag(keys.standInTap('d1'))).toBe(slotTag(keys.standInFailures('d1')));
    expect(slotTag(keys.tapIndex('u1', 't1'))).toBe(slotTag(keys.accountIndex('u1')));
    let cursor = '0';
    const seen: string[] = [];
    do {
      const [next, batch] = await server.redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      seen.push(...batch);
    } while (cursor !== '0');
    expect(seen.length).toBeGreaterThan(10);
    // The only untagged keys are the small global ones (user list, group list, policy, bootstrap marker).
    const untagged = seen.filter((k) => !slotTag(k));
    for (const k of untagged) expect(['users', 'groups', keys.tapPolicy(), keys.bootstrapDone()]).toContain(k);
  });
});
