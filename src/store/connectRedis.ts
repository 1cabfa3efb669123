import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from './RedisClient.js';
import {
  consumeModel,
  addToIndex,
  verifyTap,
  replaceTap,
  deleteTap,
  usePasskey,
  renamePasskey,
  appendAudit,
  claimSecurityEvents,
} from './scripts.js';

/** The scripts, registered once per connection as commands (EVALSHA with fallback to EVAL). */
export interface ScriptCommands {
  verifyTap(k1: string, k2: string, ...args: (string | number)[]): Promise<[string, string, number, number, number, string]>;
  replaceTap(k1: string, ...args: (string | number)[]): Promise<string[]>;
  usePasskey(k1: string, credentialId: string, counter: number, now: number): Promise<'OK' | 'CLONED' | 'NOTFOUND'>;
  renamePasskey(k1: string, credentialId: string, name: string): Promise<'OK' | 'NOTFOUND'>;
  deleteTap(k1: string, tapId: string): Promise<string[]>;
  consumeModel(k1: string, at: number): Promise<number>;
  addToIndex(k1: string, member: string, expiresAtMs: number): Promise<number>;
  appendAudit(stream: string, nowMs: number, minMs: number, record: string): Promise<string>;
  claimSecurityEvents(queue: string, jobs: string, nowMs: number, leaseEndMs: number, count: number): Promise<string[]>;
}

export type Store = RedisClient & ScriptCommands;

/**
 * Connect to `url`: `redis://`, `rediss://` or `redis+cluster://host1:port1,host2:port2`.
 * Commands issued in the same tick are pipelined, which is where most of a sign-in's round trips go.
 */
export function connectRedis(url: string): Store {
  let client: RedisClient;
  const common = { enableAutoPipelining: true, maxRetriesPerRequest: 2, connectTimeout: 5_000 } as const;
  if (url.startsWith('redis+cluster://')) {
    const nodes = url
      .slice('redis+cluster://'.length)
      .split(',')
      .map((hp) => {
        const [host, port] = hp.split(':');
        return { host: host ?? '127.0.0.1', port: Number(port ?? 6379) };
      });
    client = new Cluster(nodes, { enableAutoPipelining: true, redisOptions: common });
  } else {
    client = new Redis(url, common);
  }
  client.defineCommand('verifyTap', { numberOfKeys: 2, lua: verifyTap });
  client.defineCommand('replaceTap', { numberOfKeys: 1, lua: replaceTap });
  client.defineCommand('deleteTap', { numberOfKeys: 1, lua: deleteTap });
  client.defineCommand('consumeModel', { numberOfKeys: 1, lua: consumeModel });
  client.defineCommand('addToIndex', { numberOfKeys: 1, lua: addToIndex });
  client.defineCommand('usePasskey', { numberOfKeys: 1, lua: usePasskey });
  client.defineCommand('renamePasskey', { numberOfKeys: 1, lua: renamePasskey });
  client.defineCommand('appendAudit', { numberOfKeys: 1, lua: appendAudit });
  client.defineCommand('claimSecurityEvents', { numberOfKeys: 2, lua: claimSecurityEvents });
  return client as Store;
}
