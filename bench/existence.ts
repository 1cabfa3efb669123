/**
 * npm run bench:existence: does the identifier step take longer for a name that has an account? Times the
 * identifier post (and the "use another method" link) for a known user without a TAP or passkey and for unknown
 * names, alternating one of each, against the built server on its own redis-server. Prints the medians; nothing
 * is asserted (test/oracles.test.ts proves the Redis work is the same, which is what a test can pin).
 *
 *   npm run bench:existence -- [--samples N]
 */
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { authorize, type Target } from './flows.ts';
import { benchOptions, startNode, startRedis, writeBenchFiles, type Child } from './processes.ts';
import { Recorder } from './Recorder.ts';
import { UserAgent } from './UserAgent.ts';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '2000' }, warmup: { type: 'string', default: '200' } } });
const samples = Number(args.samples);
const warmup = Number(args.warmup);
const CLIENT = { id: 'bench-app', secret: 'bench-app-secret', redirectUri: 'http://localhost:8080/callback' };
const SERVICE = { id: 'bench-service', secret: 'bench-service-secret' };
const KNOWN = 'known@bench.test';

async function main(): Promise<void> {
  const work = path.join(os.tmpdir(), `oidc-tap-existence-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const children: Child[] = [];
  const files = writeBenchFiles({ dir: work, users: [KNOWN], client: CLIENT, service: SERVICE, options: await benchOptions() });
  try {
    const redis = await startRedis(path.join(work, 'redis'), false);
    children.push(redis);
    const server = await startNode('oidc-tap', 'dist/main.js', (port) => ({ ...files.env, REDIS_URL: redis.url, ISSUER: `http://localhost:${port}` }), '/healthz');
    children.push(server);
    const pool = new Pool(server.url, { connections: 1, keepAliveTimeout: 30_000 });
    const t: Target = { pool, issuer: `http://localhost:${server.port}`, client: CLIENT, service: SERVICE };
    const rec = new Recorder();

    // One sample: a fresh interaction, then the timed request for a known name or an unknown one.
    async function sample(kind: 'known' | 'unknown', i: number): Promise<void> {
      const ua = new UserAgent(pool, rec);
      const name = kind === 'known' ? KNOWN : `nobody-${i}@bench.test`;
      const { interaction } = await authorize(t, ua);
      rec.recording = i >= 0;
      await ua.page(`identifier (${kind})`, 'POST', `${interaction}/identifier`, { username: name });
      await ua.page(`method link (${kind})`, 'GET', `${interaction}/method/tap?username=${encodeURIComponent(name)}`);
      rec.recording = false;
    }

    for (let i = -warmup; i < samples; i++) {
      // Alternate which goes first, so neither always follows the other.
      const order = i % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
      for (const kind of order) await sample(kind, i);
    }
    await pool.close();

    // p50 is the median of each step's samples.
    process.stdout.write(`${JSON.stringify({ samples, node: process.version, cpus: os.cpus().length, steps: rec.summary() }, null, 2)}\n`);
  } finally {
    for (const c of children.reverse()) await c.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
