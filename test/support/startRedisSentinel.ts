import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/store/startEmbeddedRedis.js';
import { spawnRedis, type RedisProcess } from './spawnRedis.js';

const run = promisify(execFile);
const MASTER = 'oidc-tap';

export interface TestSentinel {
  /** `redis+sentinel://:<password>@s1,s2,s3/oidc-tap`. */
  url: string;
  password: string;
  /** The data nodes: the first starts as master, the two others replicate it. */
  nodes: RedisProcess[];
  /** The data node the sentinels name master now. */
  master(): Promise<RedisProcess>;
  stop(): Promise<void>;
}

/**
 * Redis with Sentinel of the test's own: a master, two replicas and three sentinels (quorum 2), all with one
 * password, AOF on, noeviction; a master that stops answering for 1 s is replaced. The sentinels are `redis-server
 * --sentinel` (the same binary; Debian's `redis-sentinel` package is not needed).
 */
export async function startRedisSentinel(): Promise<TestSentinel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-sentinel-'));
  const password = 'sentinel-secret-0123';
  const cli = (port: number, ...args: string[]) => run('redis-cli', ['-p', String(port), '-a', password, '--no-auth-warning', ...args]).then((r) => r.stdout.trim());
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const nodeDir = path.join(dir, `redis-${i}`);
    nodes.push(
      await spawnRedis(nodeDir, port, [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--appendonly', 'yes', '--save', '',
        '--maxmemory-policy', 'noeviction', '--requirepass', password, '--masterauth', password, '--loglevel', 'warning',
        ...(i > 0 ? ['--replicaof', '127.0.0.1', String(nodes[0]!.port)] : []),
      ]),
    );
  }
  // Replicas in sync before the sentinels watch: a replica without the data is never promoted.
  for (const until = Date.now() + 20_000; ; ) {
    const info = await Promise.all(nodes.slice(1).map((n) => cli(n.port, 'info', 'replication')));
    if (info.every((s) => s.includes('master_link_status:up'))) break;
    if (Date.now() > until) throw new Error('the test replicas did not sync');
    await new Promise((r) => setTimeout(r, 100));
  }
  const sentinels: RedisProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const sDir = path.join(dir, `sentinel-${i}`);
    mkdirSync(sDir, { recursive: true });
    const conf = path.join(sDir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`, 'bind 127.0.0.1', `dir ${sDir}`, `requirepass ${password}`,
        `sentinel monitor ${MASTER} 127.0.0.1 ${nodes[0]!.port} 2`, `sentinel auth-pass ${MASTER} ${password}`,
        `sentinel down-after-milliseconds ${MASTER} 1000`, `sentinel failover-timeout ${MASTER} 5000`, `sentinel parallel-syncs ${MASTER} 2`, '',
      ].join('\n'),
    );
    sentinels.push(await spawnRedis(sDir, port, [conf, '--sentinel']));
  }
  // Sentinels find each other through the master's hello channel: wait until each knows the two others.
  for (const until = Date.now() + 20_000; ; ) {
    const known = await Promise.all(sentinels.map((s) => cli(s.port, 'sentinel', 'sentinels', MASTER)));
    if (known.every((k) => (k.match(/^name$/gm) ?? []).length >= 2)) break;
    if (Date.now() > until) throw new Error('the test sentinels did not find each other');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis+sentinel://:${password}@${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${MASTER}`,
    password,
    nodes,
    async master() {
      const [, port] = (await cli(sentinels[0]!.port, 'sentinel', 'get-master-addr-by-name', MASTER)).split('\n');
      const node = nodes.find((n) => String(n.port) === port?.trim());
      if (!node) throw new Error(`the sentinels name an unknown master (${port})`);
      return node;
    },
    async stop() {
      for (const p of [...sentinels, ...nodes]) await p.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
