import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { runFaultLoad } from '../support/runFaultLoad.js';
import { startRedisCluster, type TestCluster } from '../support/startRedisCluster.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

describe('two instances on a 6-node Redis Cluster with a password', () => {
  it('answers every request during a master failover with success or 503 + Retry-After, and loses nothing', async () => {
    let killedAt = 0;
    const report = await runFaultLoad(cluster.url, async () => {
      // The master of the directory audit stream: every admin write's record goes there during the failover.
      const master = await cluster.masterOf(keys.auditDirectory());
      killedAt = Date.now();
      await master.kill();
    });
    console.log(JSON.stringify({ topology: 'cluster', ...report }));
    expect(killedAt).toBeGreaterThan(0);
    expect(report.created).toBeGreaterThan(5);
    expect(report.signIns).toBeGreaterThan(5);
  });
});
