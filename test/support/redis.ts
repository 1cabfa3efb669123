import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/store/startEmbeddedRedis.js';

/** A real redis-server of the test file's own, on a free loopback port, in a temporary folder. */
export async function startTestRedis(): Promise<EmbeddedRedis & { dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-redis-'));
  const redis = await startEmbeddedRedis(dir, { persist: false });
  return {
    ...redis,
    dir,
    async stop() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
