import { describe, expect, it } from 'vitest';
import type { Store } from '../src/store/connectRedis.js';
import { defineScript } from '../src/store/defineScript.js';
import { useRedisClient } from './support/useRedisClient.js';

let client: Store;
useRedisClient((c) => (client = c));

/** Echoes what it was given, so that each name's place in KEYS and ARGV can be seen. */
const echo = defineScript<
  { keys: { first: string; second: string }; args: { text: string; count: number; flag: boolean; rest: readonly string[] | undefined } },
  string[]
>({
  name: 'echo',
  keys: ['first', 'second'],
  args: ['text', 'count', 'flag', 'rest'],
  lua: `
local out = { KEYS[1], KEYS[2] }
for i = 1, #ARGV do out[#out + 1] = ARGV[i] end
return out
`,
  parse: (reply) => reply as string[],
});

const keysOf = { first: 'a:{x}', second: 'b:{x}' };

describe('a Redis script defined beside its owner', () => {
  it('puts each named key and argument in its place: a boolean as 1 or 0, a list spread, a missing last one left out', async () => {
    expect(await echo.run(client, { keys: keysOf, args: { text: 't', count: 7, flag: true, rest: ['r1', 'r2'] } })).toEqual(['a:{x}', 'b:{x}', 't', '7', '1', 'r1', 'r2']);
    expect(await echo.run(client, { keys: keysOf, args: { text: 't', count: 0, flag: false, rest: undefined } })).toEqual(['a:{x}', 'b:{x}', 't', '0', '0']);
  });

  it('refuses keys of different hash tags (they could live on different Cluster nodes) and names it has no place for', async () => {
    await expect(echo.run(client, { keys: { first: 'a:{x}', second: 'b:{y}' }, args: { text: 't', count: 1, flag: true, rest: undefined } })).rejects.toThrow(/hash tag/);
    const stray = { text: 't', count: 1, flag: true, rest: undefined, extra: 'e' };
    await expect(echo.run(client, { keys: keysOf, args: stray })).rejects.toThrow(/extra has no place/);
  });

  it('runs again after Redis forgot its scripts (restart, failover, SCRIPT FLUSH), and by digest otherwise', async () => {
    const args = { text: 't', count: 1, flag: true, rest: undefined };
    await echo.run(client, { keys: keysOf, args });
    await client.script('FLUSH');
    await client.config('RESETSTAT');
    expect(await echo.run(client, { keys: keysOf, args })).toEqual(['a:{x}', 'b:{x}', 't', '1', '1']);
    expect(await echo.run(client, { keys: keysOf, args })).toEqual(['a:{x}', 'b:{x}', 't', '1', '1']);
    const stats = await client.info('commandstats');
    const evalsha = /cmdstat_evalsha:calls=(\d+),.*failed_calls=(\d+)/.exec(stats);
    const evalCalls = /cmdstat_eval:calls=(\d+)/.exec(stats);
    // The digest refused once, the Lua sent once more, then the digest again.
    expect(evalsha?.slice(1).map(Number)).toEqual([2, 1]);
    expect(Number(evalCalls?.[1])).toBe(1);
  });
});
