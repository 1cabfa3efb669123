import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/store/startEmbeddedRedis.js';
import { spawnRedis, type RedisProcess } from './spawnRedis.js';

const run = promisify(execFile);

export interface TestCluster {
  /** `redis+cluster://:<password>@…` with every node. */
  url: string;
  password: string;
  nodes: RedisProcess[];
  /** The master serving `key`'s slot now. */
  masterOf(key: string): Promise<RedisProcess>;
  /** `cluster_state` (ok, fail) as a live node sees it. */
  state(): Promise<string>;
  /** A planned failover (`CLUSTER FAILOVER` on one of `master`'s replicas): resolves once that replica is master. */
  failover(master: RedisProcess): Promise<RedisProcess>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of the test's own: 3 masters and 3 replicas on loopback, with a password (as managed clusters
 * have), AOF on, noeviction, and a 1 s node timeout so that a killed master is replaced in about two seconds.
 */
export async function startRedisCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-cluster-'));
  const password = 'cluster-secret-0123';
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < 6; i++) {
    const port = await freePort();
    const busPort = await freePort();
    const nodeDir = path.join(dir, String(i));
    nodes.push(
      await spawnRedis(nodeDir, port, [
        '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', nodeDir,
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000',
        '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--requirepass', password,
        '--masterauth', password, '--loglevel', 'warning',
      ]),
    );
  }
  const hosts = nodes.map((n) => `127.0.0.1:${n.port}`);
  await run('redis-cli', ['-a', password, '--no-auth-warning', '--cluster', 'create', ...hosts, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
  const cli = (port: number, ...args: string[]) => run('redis-cli', ['-p', String(port), '-a', password, '--no-auth-warning', ...args]).then((r) => r.stdout.trim());
  // Ready when every node sees a healthy cluster with all slots covered, and every replica has its master's data
  // (a replica that never synced is not allowed to take over).
  const until = Date.now() + 20_000;
  for (;;) {
    const states = await Promise.all(nodes.map(async (n) => `${await cli(n.port, 'cluster', 'info')}\n${await cli(n.port, 'info', 'replication')}`));
    if (states.every((s) => s.includes('cluster_state:ok') && (s.includes('role:master') || s.includes('master_link_status:up')))) break;
    if (Date.now() > until) throw new Error('the test cluster did not become ok');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis+cluster://:${password}@${hosts.join(',')}`,
    password,
    nodes,
    async masterOf(key) {
      const slot = Number(await cli(nodes[0]!.port, 'cluster', 'keyslot', key));
      for (const n of nodes) {
        if (n.child.exitCode !== null || n.child.signalCode !== null) continue;
        const info = await cli(n.port, 'cluster', 'nodes');
        const me = info.split('\n').find((l) => l.includes('myself'))!;
        if (!me.includes('master')) continue;
        const owns = me.split(' ').slice(8).some((r) => {
          const [a, b] = r.split('-').map(Number);
          return b === undefined ? a === slot : slot >= a! && slot <= b;
        });
        if (owns) return n;
      }
      throw new Error(`no live master for slot ${slot}`);
    },
    async state() {
      const live = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null)!;
      return /cluster_state:(\w+)/.exec(await cli(live.port, 'cluster', 'info'))?.[1] ?? '?';
    },
    async failover(master) {
      const id = await cli(master.port, 'cluster', 'myid');
      let replica: RedisProcess | undefined;
      for (const n of nodes) {
        if (n !== master && n.child.exitCode === null && (await cli(n.port, 'info', 'replication')).includes('role:slave') && (await cli(n.port, 'cluster', 'nodes')).split('\n').some((l) => l.includes('myself') && l.includes(id))) replica = n;
      }
      if (!replica) throw new Error('the master has no replica');
      await cli(replica.port, 'cluster', 'failover');
      for (const until = Date.now() + 10_000; !(await cli(replica.port, 'info', 'replication')).includes('role:master'); ) {
        if (Date.now() > until) throw new Error('the planned failover did not happen');
        await new Promise((r) => setTimeout(r, 20));
      }
      return replica;
    },
    async stop() {
      for (const n of nodes) await n.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
