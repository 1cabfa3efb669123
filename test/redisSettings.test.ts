import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/store/connectRedis.js';
import { freePort } from '../src/store/startEmbeddedRedis.js';
import { startTestRedis } from './support/redis.js';

const ROOT = path.resolve(import.meta.dirname, '..');
let redis: Awaited<ReturnType<typeof startTestRedis>>;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis?.stop());

/** Start `node dist/main.js` against the test's Redis; resolve with its exit code (or null once listening) and output. */
async function start(extra: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(await freePort()), REDIS_URL: redis.url, DATA_DIR: redis.dir, ...extra };
  for (const k of ['CONFIG', 'TAP_SECRET', 'COOKIE_KEYS', 'JWKS_FILE', 'ISSUER']) delete env[k];
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const until = Date.now() + 30_000;
  while (child.exitCode === null && !out.includes('"msg":"listening"') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (child.exitCode !== null) return { code: child.exitCode, out };
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return { code: null, out };
}

describe('the Redis a server starts on', () => {
  it('without persistence: starts, with an error line saying that a restart loses everything', async () => {
    const { code, out } = await start();
    expect(code).toBeNull();
    expect(out).toContain('"msg":"redis.noPersistence"');
  });

  it('with an evicting maxmemory-policy: refuses to start, in one line', async () => {
    const admin = connectRedis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'volatile-lru');
    try {
      const { code, out } = await start();
      expect(code).toBe(1);
      expect(out.trim().split('\n').at(-1)).toBe(
        'oidc-tap: config error: REDIS_URL: Redis evicts keys under memory pressure (maxmemory-policy volatile-lru), which silently loses TAPs, passkeys and sessions; set maxmemory-policy noeviction',
      );
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  });

  it('unreachable: gives up after a while with one line naming where it looked, not the password', async () => {
    const port = await freePort();
    const { code, out } = await start({ REDIS_URL: `redis://:hunter2-password@127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(out).toContain(`oidc-tap: cannot start: Redis at redis://127.0.0.1:${port} is not reachable`);
    expect(out).not.toContain('hunter2');
  }, 30_000);
});
