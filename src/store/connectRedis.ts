import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/Logger.js';
import type { RedisClient } from './RedisClient.js';

/** A connection, to Redis or Redis Cluster; scripts run on it through their own definitions (`defineScript`). */
export type Store = RedisClient;

/** How long one command may wait for its answer: a Redis that hangs (paused, partitioned) fails the request. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Connect to `url`: `redis://`, `rediss://` or `redis+cluster://host1:port1,host2:port2`.
 * Commands issued in the same tick are pipelined, which is where most of a sign-in's round trips go.
 *
 * While Redis is unreachable every command fails at once (see `isRedisUnavailable`), so a request is answered 503
 * in milliseconds instead of queueing up; the connection is retried every half second at most, so service comes
 * back within a second of Redis. Connection errors are logged once per outage (`redis.unavailable`, then
 * `redis.ready`), never thrown: an 'error' event without a listener would print a stack per retry.
 */
export function connectRedis(url: string, { log }: { log?: Logger } = {}): Store {
  let client: RedisClient;
  const common: RedisOptions = {
    enableAutoPipelining: true,
    // Until the first connection is ready, commands wait for it (start-up, the CLI, a plugin's importConfig);
    // after that the queue is switched off below: a command issued during an outage fails instead of waiting.
    enableOfflineQueue: true,
    // Commands already sent when the connection drops fail at the first failed reconnection, not after several.
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 500),
    connectTimeout: 5_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  };
  if (url.startsWith('redis+cluster://')) {
    const nodes = url
      .slice('redis+cluster://'.length)
      .split(',')
      .map((hp) => {
        const [host, port] = hp.split(':');
        return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
      });
    client = new Cluster(nodes, {
      enableAutoPipelining: true,
      enableOfflineQueue: true,
      clusterRetryStrategy: (times) => Math.min(times * 100, 500),
      redisOptions: common,
    });
  } else {
    client = new Redis(url, common);
  }
  let downSince: number | undefined;
  let lastError = '';
  client.on('error', (err: Error) => {
    lastError = err.message;
  });
  client.on('reconnecting', () => {
    if (downSince !== undefined) return;
    downSince = Date.now();
    log?.error('redis.unavailable', { error: lastError || 'connection closed' });
  });
  client.on('ready', () => {
    client.options.enableOfflineQueue = false;
    lastError = '';
    if (downSince === undefined) return;
    log?.info('redis.ready', { unavailableMs: Date.now() - downSince });
    downSince = undefined;
  });
  return client;
}
