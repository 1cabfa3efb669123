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

export interface RestartableRedis {
  url: string;
  port: number;
  dir: string;
  /** The running redis-server's process id (changes with each start). */
  pid(): number;
  /** Stop redis-server as an operator would (SIGTERM: it writes its AOF and exits), keeping the data. */
  stop(): Promise<void>;
  /** Start it again on the same port and data folder; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stop it and delete the data. */
  destroy(): Promise<void>;
}

/** A persistent redis-server (AOF on, noeviction) of the test's own, to be stopped and started again: outages. */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-redis-aof-'));
  let current: EmbeddedRedis | undefined = await startEmbeddedRedis(dir, { persist: true });
  const { port, url } = current;
  return {
    url,
    port,
    dir,
    pid: () => current?.pid ?? 0,
    async stop() {
      await current?.stop();
      current = undefined;
    },
    async start() {
      current ??= await startEmbeddedRedis(dir, { persist: true, port });
    },
    async destroy() {
      await current?.stop();
      current = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
