import type * as client from 'openid-client';
import { afterAll, beforeAll } from 'vitest';
import type { AppConfig } from '../../src/config/AppConfig.js';
import type { UserDirectory } from '../../src/directory/UserDirectory.js';
import { startTestRedis } from './redis.js';
import { relyingParty } from './rp.js';
import { startTestServer, TestClock, type TestServer } from './testServer.js';

/** One deployment of the provider for a test file: its own redis-server and servers sharing it. */
export interface Deployment {
  redis: Awaited<ReturnType<typeof startTestRedis>>;
  /** Every server; they share Redis, the clock and the secrets, like the instances of one deployment. */
  servers: TestServer[];
  /** The first server. */
  server: TestServer;
  clock: TestClock;
  /** openid-client configured against the first server. */
  rp: client.Configuration;
}

export interface DeploymentOptions {
  /** How many servers (default 1). */
  servers?: number;
  /** Built in `beforeAll`, so it may use what earlier hooks set up. */
  config?: () => AppConfig;
  host?: 'localhost' | '127.0.0.1';
  /** Believe X-Forwarded-For, so that a test can post from any address it names. */
  trustProxy?: boolean;
  /** A host application's directory instead of the Redis one. */
  directory?: () => UserDirectory;
}

/**
 * Start a deployment before the file's tests and stop it after them. `ready` receives it once started, so the
 * file can keep its own short names (`server`, `rp`, `a`, `b`).
 */
export function useDeployment(opts: DeploymentOptions, ready: (d: Deployment) => void): void {
  let d: Partial<Deployment> = {};
  beforeAll(async () => {
    const redis = await startTestRedis();
    const clock = new TestClock();
    const servers: TestServer[] = [];
    d = { redis, clock, servers };
    const config = opts.config?.();
    const directory = opts.directory?.();
    for (let i = 0; i < (opts.servers ?? 1); i++) {
      servers.push(await startTestServer(redis.url, { clock, ...(config ? { config } : {}), ...(opts.host ? { host: opts.host } : {}), trustProxy: opts.trustProxy ?? false, ...(directory ? { directory } : {}) }));
    }
    const server = servers[0]!;
    const done: Deployment = { redis, clock, servers, server, rp: await relyingParty(server.url) };
    d = done;
    ready(done);
  });
  afterAll(async () => {
    for (const s of d.servers ?? []) await s.close();
    await d.redis?.stop();
  });
}
