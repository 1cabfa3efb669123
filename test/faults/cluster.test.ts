import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/store/connectRedis.js';
import { keys } from '../../src/store/keys.js';
import { Redis } from 'ioredis';
import { replicated } from '../../src/store/replicated.js';
import { apiClient, appToken, graph } from '../support/graph.js';
import { CLIENT_ID, REDIRECT_URI, startTestServer, TEST_CLIENT, testConfig } from '../support/testServer.js';
import { runFaultLoad } from '../support/runFaultLoad.js';
import type { RedisProcess } from '../support/spawnRedis.js';
import { startRedisCluster, type TestCluster } from '../support/startRedisCluster.js';

let cluster: TestCluster;

// A cluster of its own per test: each one kills a master.
beforeEach(async () => {
  cluster = await startRedisCluster();
});

afterEach(async () => {
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

  it('answers sign-ins that start after a planned failover (MOVED) and while a lost master is not yet replaced (CLUSTERDOWN) with success or 503, never 500', async () => {
    const server = await startTestServer(cluster.url);
    try {
      const statuses: number[] = [];
      const authorize = () =>
        fetch(`${server.url}/auth?client_id=${CLIENT_ID}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`, { redirect: 'manual' }).then((r) => statuses.push(r.status));
      await Promise.all(Array.from({ length: 10 }, authorize));
      // Each round moves another master's slots to its replica; the instance's slot map is stale until a MOVED.
      const moved: RedisProcess[] = [];
      for (let round = 0; round < 3; round++) {
        moved.push(await cluster.failover(moved));
        await Promise.all(Array.from({ length: 30 }, authorize));
      }
      // A master lost: until its replica takes over, every node answers CLUSTERDOWN, and a MULTI ends in EXECABORT.
      const failed: number[] = [];
      await (await cluster.pair()).master.kill();
      while ((await cluster.state()) !== 'fail') await new Promise((r) => setTimeout(r, 20));
      const before = statuses.length;
      await Promise.all(Array.from({ length: 30 }, authorize));
      failed.push(...statuses.slice(before));
      expect(failed.length).toBe(30);
      expect(statuses.filter((st) => st !== 303 && st !== 302 && st !== 503)).toEqual([]);
      expect(statuses.filter((st) => st === 303 || st === 302).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('pipelined commands on a Redis Cluster', () => {
  it('runs every command of a tick after a planned failover, writes in several slots among them, none answered MOVED', async () => {
    const redis = connectRedis(cluster.url);
    try {
      // Keys of many slots, so that each master gets a batch that mixes several slots and writes.
      const ids = Array.from({ length: 60 }, (_, i) => `pipelined-${i}`);
      await Promise.all(ids.map((id) => redis.set(`{${id}}:k`, 'before')));
      // The client's slot map is stale now: the moved master's batches come back MOVED for every command in them.
      await cluster.failover();
      const answers = await Promise.allSettled(ids.flatMap((id) => [redis.set(`{${id}}:k`, 'after'), redis.incr(`{${id}}:n`), redis.get(`{${id}}:k`)]));
      expect(answers.filter((a) => a.status === 'rejected').map((a) => String((a as PromiseRejectedResult).reason))).toEqual([]);
      // Each write ran once: every counter is 1.
      expect(await Promise.all(ids.map((id) => redis.get(`{${id}}:n`)))).toEqual(ids.map(() => '1'));
    } finally {
      redis.disconnect();
    }
  });
});

describe('the durability option on a Redis Cluster', () => {
  it('waits on the masters of the TAP, of its end’s job and of the directory audit stream, and on no other', async () => {
    const scope = 'User.ReadWrite.All UserAuthMethod-TAP.ReadWrite.All';
    const server = await startTestServer(cluster.url, { config: testConfig({ clients: [TEST_CLIENT, apiClient('wait-admin', 'wait-admin-secret-0123456789', scope.split(' '))] }) });
    const nodes = new Map<RedisProcess, Redis>();
    try {
      replicated.require(server.redis, { replicas: 1, timeoutMs: 2_000 });
      const token = await appToken(server.url, 'wait-admin', 'wait-admin-secret-0123456789', scope);
      const auditMaster = await cluster.masterOf(keys.auditDirectory());
      // A user whose TAP lives on another master than the audit stream (two masters in three do).
      let userId = '';
      let tapMaster = auditMaster;
      for (let i = 0; tapMaster === auditMaster; i++) {
        const created = await graph(server.url, token, 'POST', '/users', { accountEnabled: true, displayName: `Wait ${i}`, mailNickname: `wait${i}`, userPrincipalName: `wait-${i}@contoso.com` });
        expect(created.status).toBe(201);
        userId = created.body.id as string;
        tapMaster = await cluster.masterOf(keys.tap(userId));
      }
      const masters = [];
      for (const n of cluster.nodes) {
        const r = new Redis({ port: n.port, password: cluster.password, lazyConnect: true });
        nodes.set(n, r);
        if ((await r.info('replication')).includes('role:master')) masters.push(n);
      }
      const waits = async (n: RedisProcess) => Number(/cmdstat_wait:calls=(\d+)/.exec(await nodes.get(n)!.info('commandstats'))?.[1] ?? 0);
      const before = await Promise.all(masters.map(waits));
      const tap = await graph(server.url, token, 'POST', `/users/${userId}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 });
      expect(tap.status).toBe(201);
      const after = await Promise.all(masters.map(waits));
      const waited = masters.filter((_, i) => after[i]! > before[i]!);
      expect(new Set(waited)).toEqual(new Set([tapMaster, await cluster.masterOf(keys.tapEndQueue()), auditMaster]));
    } finally {
      for (const r of nodes.values()) r.disconnect();
      await server.close();
    }
  });
});
