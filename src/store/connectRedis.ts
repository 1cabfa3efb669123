import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/Logger.js';
import type { RedisClient } from './RedisClient.js';
import {
  consumeModel,
  addToIndex,
  verifyTap,
  unlockTap,
  replaceTap,
  deleteTap,
  usePasskey,
  renamePasskey,
  appendAudit,
  claimSecurityEvents,
  takeRateLimit,
  addToTapIndex,
  compareAndSet,
  compareAndDelete,
  deletePasskey,
  storePasskeyUnderTap,
} from './scripts.js';

/** The scripts, registered once per connection as commands (EVALSHA with fallback to EVAL). */
export interface ScriptCommands {
  verifyTap(k1: string, k2: string, ...args: (string | number)[]): Promise<[string, string, number, number, number, string, number]>;
  unlockTap(tapKey: string, failuresKey: string, tapId: string): Promise<number>;
  replaceTap(k1: string, ...args: (string | number)[]): Promise<string[]>;
  usePasskey(k1: string, credentialId: string, counter: number, now: number): Promise<'OK' | 'CLONED' | 'NOTFOUND'>;
  renamePasskey(k1: string, credentialId: string, name: string): Promise<'OK' | 'NOTFOUND'>;
  deleteTap(k1: string, tapId: string): Promise<string[]>;
  consumeModel(k1: string, at: number): Promise<number>;
  addToIndex(k1: string, member: string, expiresAtMs: number): Promise<number>;
  appendAudit(stream: string, nowMs: number, minMs: number, record: string, maxLength?: number): Promise<string>;
  claimSecurityEvents(queue: string, jobs: string, nowMs: number, leaseEndMs: number, count: number): Promise<string[]>;
  takeRateLimit(bucket: string, nowMs: number, capacity: number, refillMs: number): Promise<[number, number]>;
  addToTapIndex(tapKey: string, indexKey: string, tapId: string, member: string, expiresAtMs: number): Promise<number>;
  compareAndSet(key: string, expected: string, next: string): Promise<number>;
  compareAndDelete(key: string, expected: string): Promise<number>;
  deletePasskey(passkeysKey: string, credentialId: string, keepLast: string): Promise<number>;
  storePasskeyUnderTap(tapKey: string, passkeysKey: string, tapId: string, nowMs: number, credentialId: string, passkey: string): Promise<number>;
}

export type Store = RedisClient & ScriptCommands;

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
  client.defineCommand('verifyTap', { numberOfKeys: 2, lua: verifyTap });
  client.defineCommand('unlockTap', { numberOfKeys: 2, lua: unlockTap });
  client.defineCommand('replaceTap', { numberOfKeys: 1, lua: replaceTap });
  client.defineCommand('deleteTap', { numberOfKeys: 1, lua: deleteTap });
  client.defineCommand('consumeModel', { numberOfKeys: 1, lua: consumeModel });
  client.defineCommand('addToIndex', { numberOfKeys: 1, lua: addToIndex });
  client.defineCommand('usePasskey', { numberOfKeys: 1, lua: usePasskey });
  client.defineCommand('renamePasskey', { numberOfKeys: 1, lua: renamePasskey });
  client.defineCommand('appendAudit', { numberOfKeys: 1, lua: appendAudit });
  client.defineCommand('claimSecurityEvents', { numberOfKeys: 2, lua: claimSecurityEvents });
  client.defineCommand('takeRateLimit', { numberOfKeys: 1, lua: takeRateLimit });
  client.defineCommand('addToTapIndex', { numberOfKeys: 2, lua: addToTapIndex });
  client.defineCommand('compareAndSet', { numberOfKeys: 1, lua: compareAndSet });
  client.defineCommand('compareAndDelete', { numberOfKeys: 1, lua: compareAndDelete });
  client.defineCommand('deletePasskey', { numberOfKeys: 1, lua: deletePasskey });
  client.defineCommand('storePasskeyUnderTap', { numberOfKeys: 2, lua: storePasskeyUnderTap });
  return client as Store;
}
