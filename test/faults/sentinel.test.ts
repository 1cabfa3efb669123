import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultLoad } from '../support/runFaultLoad.js';
import { startRedisSentinel, type TestSentinel } from '../support/startRedisSentinel.js';

let sentinel: TestSentinel;

beforeAll(async () => {
  sentinel = await startRedisSentinel();
});

afterAll(async () => {
  await sentinel?.stop();
});

describe('two instances on Redis with Sentinel and a password, REDIS_WAIT_REPLICAS=1', () => {
  it('answers every request during a master failover with success or 503 + Retry-After, and loses nothing', async () => {
    const first = await sentinel.master();
    // With the durability option: what was acknowledged is on the replica that survives.
    const report = await runFaultLoad(sentinel.url, () => first.kill(), { afterMs: 8_000, waitReplicas: 1 });
    console.log(JSON.stringify({ topology: 'sentinel', ...report }));
    expect(await sentinel.master()).not.toBe(first);
    expect(report.created).toBeGreaterThan(5);
    expect(report.signIns).toBeGreaterThan(5);
  });
});
