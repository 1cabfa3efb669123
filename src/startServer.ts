import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { issueInitialAdminTap } from './bootstrap/issueInitialAdminTap.js';
import type { Clock } from './Clock.js';
import { loadConfigFile } from './config/loadConfigFile.js';
import { readEnv } from './config/readEnv.js';
import { createApp } from './http/createApp.js';
import { createLogger } from './log/createLogger.js';
import type { Logger } from './log/Logger.js';
import { loadSecrets } from './secrets/loadSecrets.js';
import { connectRedis, type Store } from './store/connectRedis.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './store/startEmbeddedRedis.js';
import { tapPlugin, type TapPlugin } from './tapPlugin.js';

export interface RunningServer {
  url: string;
  server: http.Server;
  plugin: TapPlugin;
  redis: Store;
  close(): Promise<void>;
}

/**
 * Start the complete identity provider from an environment (interfaces.md): config, secrets, Redis (its own
 * redis-server when REDIS_URL is unset), directory import, first-start bootstrap, HTTP.
 */
export async function startServer(envVars: NodeJS.ProcessEnv = process.env, opts: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const env = readEnv(envVars);
  const log = opts.logger ?? createLogger();
  const config = loadConfigFile(env.configPath);
  const secrets = await loadSecrets(env, log);
  let embedded: EmbeddedRedis | undefined;
  if (!env.redisUrl) {
    embedded = await startEmbeddedRedis(path.join(env.dataDir, 'redis'));
    // The CLI finds the embedded server through this file.
    writeFileSync(path.join(env.dataDir, 'redis.url'), embedded.url, { mode: 0o600 });
    log.info('redis.embedded', { url: embedded.url, dir: path.join(env.dataDir, 'redis') });
  }
  const redis = connectRedis(env.redisUrl ?? embedded!.url);
  const plugin = tapPlugin({ issuer: env.issuer, redis, config, secrets, logger: log, ...(opts.clock ? { clock: opts.clock } : {}) });
  await plugin.importConfig();
  await issueInitialAdminTap({ redis, directory: plugin.directory, taps: plugin.taps, log, config, audit: plugin.audit }, env.dataDir);
  const { app } = createApp({ issuer: env.issuer, plugin, redis, trustProxy: env.trustProxy });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(env.port, resolve));
  const { port } = server.address() as { port: number };
  log.info('listening', { port, issuer: env.issuer });
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    server,
    plugin,
    redis,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await plugin.close();
        redis.disconnect();
        await embedded?.stop();
        if (embedded) rmSync(path.join(env.dataDir, 'redis.url'), { force: true });
      })();
      return closing;
    },
  };
}
