import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/Logger.js';
import type { RedisClient } from './RedisClient.js';
import { parseRedisUrl } from './parseRedisUrl.js';
import { redirectPipelinedCommands } from './redirectPipelinedCommands.js';
import { releaseFinishedPipelines } from './releaseFinishedPipelines.js';

/** A connection, to Redis, Redis Cluster or the master Sentinel names; scripts run on it through `defineScript`. */
export type Store = RedisClient;

/** How long one command may wait for its answer: a Redis that hangs (paused, partitioned) fails the request. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Connect to `url` (see `parseRedisUrl`: single, Cluster or Sentinel, each with TLS and `user:pass@`).
 *
 * While Redis is unreachable every command fails at once (see `isRedisUnavailable`), so a request is answered 503
 * in milliseconds instead of queueing up; the connection is retried every half second at most, so service comes
 * back within a second of Redis. Connection errors are logged once per outage (`redis.unavailable`, then
 * `redis.ready`), never thrown: an 'error' event without a listener would print a stack per retry.
 *
 * Cluster failover: a command that meets `MOVED`/`ASK` follows it, `TRYAGAIN`/`CLUSTERDOWN`/a closed connection is
 * tried again after 100 ms with the slots refreshed, at most 8 times, so a request either lands on the new master
 * or fails (503) within about a second. Auto-pipelining is on everywhere: on a Cluster it sends each tick's
 * commands to a node as one batch, which costs the masters a third of the CPU of sending them one by one (issue
 * #18, docs/benchmarks.md); ioredis does not redirect a pipeline whose replies mix `MOVED` with successes, so
 * redirectPipelinedCommands sends each command a node did not run again on its own.
 */
export function connectRedis(url: string, { log }: { log?: Logger } = {}): Store {
  const target = parseRedisUrl(url);
  let client: RedisClient;
  const auth: RedisOptions = {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
  const common: RedisOptions = {
    ...auth,
    enableAutoPipelining: target.kind !== 'cluster',
    // Until the first connection is ready, commands wait for it (start-up, the CLI, a plugin's importConfig);
    // after that the queue is switched off below: a command issued during an outage fails instead of waiting.
    enableOfflineQueue: true,
    // Commands already sent when the connection drops fail at the first failed reconnection, not after several.
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 500),
    connectTimeout: 5_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  };
  if (target.kind === 'cluster') {
    const cluster = new Cluster(target.nodes, {
      enableAutoPipelining: true,
      enableOfflineQueue: true,
      clusterRetryStrategy: (times) => Math.min(times * 100, 500),
      maxRedirections: 8,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      // Managed clusters behind TLS announce names their certificates carry: keep them, do not resolve to IPs.
      ...(target.tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
      redisOptions: common,
    });
    client = redirectPipelinedCommands(cluster);
  } else if (target.kind === 'sentinel') {
    client = new Redis({
      ...common,
      sentinels: target.nodes,
      name: target.masterName!,
      // The sentinels take the same credentials and TLS as the data nodes (one URL, one secret).
      ...(target.username ? { sentinelUsername: target.username } : {}),
      ...(target.password ? { sentinelPassword: target.password } : {}),
      ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      sentinelRetryStrategy: (times) => Math.min(times * 100, 500),
      // A demoted master answers READONLY: reconnect, which asks the sentinels for the new one.
      reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
      failoverDetector: true,
    });
  } else {
    client = new Redis({ ...common, ...target.nodes[0]!, ...(target.db !== undefined ? { db: target.db } : {}) });
  }
  // Through a Cluster's proxy too: `pipeline` and `multi` are not commands it wraps, so they are the Cluster's own.
  releaseFinishedPipelines(client);
  let downSince: number | undefined;
  let lastError = '';
  client.on('error', (err: Error) => {
    lastError = err.message;
  });
  const down = () => {
    if (downSince !== undefined) return;
    downSince = Date.now();
    log?.error('redis.unavailable', { error: lastError || 'connection closed' });
  };
  client.on('reconnecting', down);
  client.on('ready', () => {
    client.options.enableOfflineQueue = false;
    lastError = '';
    if (downSince === undefined) return;
    log?.info('redis.ready', { unavailableMs: Date.now() - downSince });
    downSince = undefined;
  });
  return client;
}
