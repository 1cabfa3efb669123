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
  /** A live master with a live, synced replica (none of `besides`), and that replica. */
  pair(besides?: RedisProcess[]): Promise<{ master: RedisProcess; replica: RedisProcess }>;
  /** A planned failover (`CLUSTER FAILOVER` on a replica, none of `besides`): resolves once it is master. */
  failover(besides?: RedisProcess[]): Promise<RedisProcess>;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of the test's own: 3 masters and 3 replicas on loopback, with a password (as managed clusters
 * have), AOF on, noeviction, and a 1 s node timeout so that a killed master is replaced in about two seconds.
 */
export async function startRedisCluster({ tls }: { tls?: { cert: string; key: string } } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-cluster-'));
  // With `tls` (PEM files): TLS only, between the nodes too; the certificate is its own CA.
  const tlsArgs = (port: number) =>
    tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cluster', 'yes', '--tls-replication', 'yes', '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert, '--tls-auth-clients', 'no']
      : ['--port', String(port)];
  const cliTls = tls ? ['--tls', '--cacert', tls.cert] : [];
  const password = 'cluster-secret-0123';
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < 6; i++) {
    const port = await freePort();
    const busPort = await freePort();
    const nodeDir = path.join(dir, String(i));
    nodes.push(
      await spawnRedis(nodeDir, port, [
        ...tlsArgs(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', nodeDir,
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000',
        '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--requirepass', password,
        '--masterauth', password, '--loglevel', 'warning',
      ]),
    );
  }
  const hosts = nodes.map((n) => `127.0.0.1:${n.port}`);
  await run('redis-cli', [...cliTls, '-a', password, '--no-auth-warning', '--cluster', 'create', ...hosts, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
  const cli = (port: number, ...args: string[]) => run('redis-cli', [...cliTls, '-p', String(port), '-a', password, '--no-auth-warning', ...args]).then((r) => r.stdout.trim());
  // Ready when every node sees a healthy cluster with all slots covered, and every replica has its master's data
  // (a replica that never synced is not allowed to take over).
  const until = Date.now() + 20_000;
  for (;;) {
    const states = await Promise.all(nodes.map(async (n) => `${await cli(n.port, 'cluster', 'info')}\n${await cli(n.port, 'info', 'replication')}`));
    if (states.every((s) => s.includes('cluster_state:ok') && (s.includes('role:master') || s.includes('master_link_status:up')))) break;
    if (Date.now() > until) throw new Error('the test cluster did not become ok');
    await new Promise((r) => setTimeout(r, 100));
  }
  const isLive = (n: RedisProcess) => n.child.exitCode === null && n.child.signalCode === null;
  const live = () => nodes.find(isLive)!;
  const cluster: TestCluster = {
    url: `${tls ? 'rediss' : 'redis'}+cluster://:${password}@${hosts.join(',')}`,
    password,
    nodes,
    async masterOf(key) {
      const slot = Number(await cli(live().port, 'cluster', 'keyslot', key));
      for (const n of nodes) {
        if (!isLive(n)) continue;
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
      return /cluster_state:(\w+)/.exec(await cli(live().port, 'cluster', 'info'))?.[1] ?? '?';
    },
    async pair(besides = []) {
      for (const replica of nodes.filter((n) => isLive(n) && !besides.includes(n))) {
        const info = await cli(replica.port, 'info', 'replication');
        const port = /master_port:(\d+)/.exec(info)?.[1];
        const master = nodes.find((n) => String(n.port) === port && isLive(n));
        if (info.includes('role:slave') && info.includes('master_link_status:up') && master && !besides.includes(master)) return { master, replica };
      }
      throw new Error('no master has a live replica');
    },
    async failover(besides = []) {
      const { replica } = await cluster.pair(besides);
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
  return cluster;
}
