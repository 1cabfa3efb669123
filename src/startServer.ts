import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { issueInitialAdminTap } from './bootstrap/issueInitialAdminTap.js';
import type { Clock } from './Clock.js';
import { loadConfigFile } from './config/loadConfigFile.js';
import { readEnv } from './config/readEnv.js';
import { createApp } from './createApp.js';
import { ConfigError } from './errors.js';
import type Provider from 'oidc-provider';
import { createLogger } from './log/createLogger.js';
import type { Logger } from './log/Logger.js';
import { loadSecrets } from './secrets/loadSecrets.js';
import { checkSecretsFingerprint } from './secrets/checkSecretsFingerprint.js';
import { checkRedisSettings } from './store/checkRedisSettings.js';
import { connectRedis, type Store } from './store/connectRedis.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './store/startEmbeddedRedis.js';
import { tapPlugin, type TapPlugin } from './tapPlugin.js';
import { waitForRedis } from './store/waitForRedis.js';
import { replicated } from './store/replicated.js';

/** Listen on `port`, or fail with one line naming PORT (in use, not allowed) instead of an 'error' event's stack. */
function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ConfigError('PORT', e.code === 'EADDRINUSE' ? `${port} is in use by another process` : e.code === 'EACCES' ? `${port} needs privileges this process does not have` : e.message)),
    );
    server.listen(port, () => resolve());
  });
}

/**
 * Have the provider read every configured client now: it checks their metadata only when a client is first used,
 * which would turn a mistake into `server_error` for that client's users. Its error names the problem in
 * `error_description`; the client and the field are named here.
 */
async function checkClients(provider: Provider, clients: readonly { client_id: string }[]): Promise<void> {
  for (const [i, c] of clients.entries()) {
    try {
      await provider.Client.find(c.client_id);
    } catch (e) {
      const description = (e as { error_description?: string }).error_description ?? (e as Error).message;
      throw new ConfigError(`clients[${i}] (${c.client_id})`, description);
    }
  }
}

/** How long a shutdown waits for requests under way before cutting their connections. */
export const SHUTDOWN_DRAIN_MS = 10_000;

export interface RunningServer {
  url: string;
  server: http.Server;
  plugin: TapPlugin;
  redis: Store;
  /** Whether close() has been called. */
  readonly closing: boolean;
  /** Graceful shutdown: stop accepting, drain (at most SHUTDOWN_DRAIN_MS), stop the loops, close Redis. */
  close(): Promise<void>;
}

/**
 * Start the complete identity provider from an environment (README, "Configuration"): config, secrets, Redis (its own
 * redis-server when REDIS_URL is unset), directory import, first-start bootstrap, HTTP.
 */
export async function startServer(envVars: NodeJS.ProcessEnv = process.env, opts: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const env = readEnv(envVars);
  const log = opts.logger ?? createLogger();
  const config = loadConfigFile(env.configPath);
  if (env.issuer.startsWith('https:') && !env.trustProxy) {
    // This process speaks plain HTTP; without the proxy's X-Forwarded-Proto it cannot know the browser used TLS.
    log.warn('config.issuerHttpsWithoutTrustProxy', {
      note: 'ISSUER is https but TRUST_PROXY is off: cookies will not be marked Secure (HSTS is still sent, from the issuer). Set TRUST_PROXY=1 behind the TLS proxy.',
    });
  }
  const secrets = await loadSecrets(env, log);
  let embedded: EmbeddedRedis | undefined;
  if (!env.redisUrl) {
    embedded = await startEmbeddedRedis(path.join(env.dataDir, 'redis'));
    // The CLI finds the embedded server through this file.
    writeFileSync(path.join(env.dataDir, 'redis.url'), embedded.url, { mode: 0o600 });
    log.info('redis.embedded', { url: embedded.url, pid: embedded.pid, dir: path.join(env.dataDir, 'redis') });
  }
  const redisUrl = env.redisUrl ?? embedded!.url;
  const redis = connectRedis(redisUrl, { log });
  replicated.require(redis, { ...env.waitForReplicas, log });
  try {
    await waitForRedis(redis, redisUrl);
    await checkRedisSettings(redis, log);
    await checkSecretsFingerprint(redis, secrets, log);
  } catch (e) {
    redis.disconnect();
    await embedded?.stop();
    throw e;
  }
  const plugin = tapPlugin({ issuer: env.issuer, redis, config, secrets, logger: log, ...(opts.clock ? { clock: opts.clock } : {}) });
  const server = http.createServer();
  try {
    await plugin.importConfig();
    await issueInitialAdminTap({ redis, directory: plugin.directory, taps: plugin.taps, log, config }, env.dataDir);
    const { app, provider } = createApp({ issuer: env.issuer, plugin, redis, trustProxy: env.trustProxy, ...(env.metricsToken ? { metricsToken: env.metricsToken } : {}) });
    await checkClients(provider, config.clients);
    server.on('request', app.callback());
    await listen(server, env.port);
  } catch (e) {
    // Nothing is left running by a failed start: not the loops, not the connection, not our redis-server.
    await plugin.close().catch(() => undefined);
    redis.disconnect();
    await embedded?.stop();
    if (embedded) rmSync(path.join(env.dataDir, 'redis.url'), { force: true });
    throw e;
  }
  const { port } = server.address() as { port: number };
  log.info('listening', { port, issuer: env.issuer });
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    server,
    plugin,
    redis,
    get closing() {
      return closing !== undefined;
    },
    close() {
      closing ??= (async () => {
        log.info('shutdown.start', { drainMs: SHUTDOWN_DRAIN_MS });
        // Stop accepting connections; requests under way finish. A keep-alive connection is closed as soon as it
        // is idle (checked often, since one may carry a last request), and whatever is left after the drain time
        // is cut.
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => {
          log.warn('shutdown.drain.timeout', { drainMs: SHUTDOWN_DRAIN_MS });
          server.closeAllConnections();
        }, SHUTDOWN_DRAIN_MS);
        await drained;
        clearInterval(idle);
        clearTimeout(cut);
        // The background loops (security-event delivery) next, while Redis is still there to put work back.
        await plugin.close();
        // QUIT lets Redis answer what was sent; during an outage it fails at once, and the socket is just closed.
        await redis.quit().catch(() => redis.disconnect());
        await embedded?.stop();
        if (embedded) rmSync(path.join(env.dataDir, 'redis.url'), { force: true });
        log.info('shutdown.done', {});
      })();
      return closing;
    },
  };
}
