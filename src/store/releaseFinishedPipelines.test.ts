import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useRedisClient } from '../../test/support/useRedisClient.js';
import type { Store } from './connectRedis.js';

let client: Store;
useRedisClient((c) => (client = c));

/** What a pipeline still holds: its own fields, and how many commands and replies. */
function holds(p: object) {
  const fields = p as { _queue?: unknown[]; _result?: unknown[]; promise?: unknown };
  return { commands: fields._queue?.length ?? 0, replies: fields._result?.length ?? 0, promise: 'promise' in fields };
}

describe('pipelines of a connection (issue #18: what young-generation collections copy)', () => {
  it('let go of their commands and replies once they have answered, and still answer', async () => {
    const big = 'x'.repeat(10_000);
    const p = client.pipeline().set('release:a', big).get('release:a');
    expect(holds(p)).toEqual({ commands: 2, replies: 0, promise: true });
    expect(await p.exec()).toEqual([
      [null, 'OK'],
      [null, big],
    ]);
    await nextTurn();
    expect(holds(p)).toEqual({ commands: 0, replies: 0, promise: false });

    const m = client.multi().incr('release:n').get('release:a');
    expect(await m.exec()).toEqual([
      [null, 1],
      [null, big],
    ]);
    await nextTurn();
    expect(holds(m)).toEqual({ commands: 0, replies: 0, promise: false });
  });

  it('also when Redis refused them', async () => {
    const p = client.pipeline().set('release:b', '1').hget('release:b', 'f');
    const [set, hget] = (await p.exec())!;
    expect(set).toEqual([null, 'OK']);
    expect(String(hget![0])).toContain('WRONGTYPE');
    await nextTurn();
    expect(holds(p)).toEqual({ commands: 0, replies: 0, promise: false });
  });

  it('answers commands of one tick (auto-pipelined) each with its own reply', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `release:k${i}`);
    await Promise.all(keys.map((k, i) => client.set(k, String(i))));
    expect(await Promise.all(keys.map((k) => client.get(k)))).toEqual(keys.map((_, i) => String(i)));
  });
});
