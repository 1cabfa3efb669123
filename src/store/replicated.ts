import { Cluster } from 'ioredis';
import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import { clusterSlot } from './clusterSlot.js';
import { rawClient } from './rawClient.js';
import type { RedisClient } from './RedisClient.js';

/** The durability option of one connection (`REDIS_WAIT_REPLICAS`, `REDIS_WAIT_TIMEOUT_MS`). */
export interface WaitForReplicas {
  /** How many replicas must have a write before it is acknowledged; 0: off. */
  replicas: number;
  timeoutMs: number;
  log?: Logger;
}

const settings = new WeakMap<RedisClient, WaitForReplicas>();

/**
 * Wait until the writes this connection made so far are on `replicas` replicas (Redis `WAIT`), when the option is
 * on for `redis` (`replicated.require`); at once otherwise. Called after the writes that must survive a failover:
 * TAP creation, deletion and one-time consumption, passkey registration, revocation.
 *
 * WAIT counts the writes of the connection it is sent on, which is the shared one (auto-pipelined), so it covers
 * this request's writes (and any other's made meanwhile). On a Cluster it goes to the master of `key` (the record
 * that matters), or to every master when the writes span slots (a revocation); a master this request did not write
 * to answers at once.
 *
 * A WAIT that times out refuses the request (503), after the write: the master has it, a replica may not. The
 * client is told "not done" and tries again; acknowledging instead would promise what the option exists to
 * guarantee. A write refused this way may still be there (the master kept it) or not (it failed over first).
 */
export async function replicated(redis: RedisClient, key?: string): Promise<void> {
  const wanted = settings.get(rawClient(redis));
  if (!wanted || wanted.replicas <= 0) return;
  const targets = redis instanceof Cluster ? mastersFor(redis, key) : [redis];
  const acked = await Promise.all(targets.map((r) => r.call('WAIT', wanted.replicas, wanted.timeoutMs) as Promise<number>));
  const least = Math.min(...acked);
  if (least >= wanted.replicas) return;
  wanted.log?.error('redis.wait.timeout', { replicas: least, wanted: wanted.replicas, timeoutMs: wanted.timeoutMs });
  throw new ServiceUnavailableError();
}

/** The Cluster masters whose replicas must confirm: `key`'s, or all of them. */
function mastersFor(cluster: Cluster, key: string | undefined): RedisClient[] {
  const masters = cluster.nodes('master');
  if (key === undefined) return masters;
  const owner = cluster.slots[clusterSlot(key)]?.[0];
  const mine = masters.filter((n) => `${n.options.host}:${n.options.port}` === owner);
  // A slot map being refreshed (a failover) may name no known node yet: then every master.
  return mine.length > 0 ? mine : masters;
}

/** Turn the durability option on (or off, with 0 replicas) for `redis`. */
replicated.require = (redis: RedisClient, options: WaitForReplicas): void => {
  settings.set(rawClient(redis), options);
};
