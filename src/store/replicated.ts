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
 * TAP creation, deletion and one-time consumption, passkey registration, revocation; after the audit record of
 * the write, when it has one, so that what was acknowledged keeps its record too.
 *
 * WAIT counts the writes of the connection it is sent on, which is the shared one (auto-pipelined), so it covers
 * this request's writes (and any other's made meanwhile). On a Cluster it goes to the masters of `keys` (the record
 * that matters and its audit stream), or to every master when no key is named (a revocation's writes span slots);
 * a master this request did not write to answers at once.
 *
 * A WAIT that times out refuses the request (503), after the write: the master has it, a replica may not. The
 * client is told "not done" and tries again; acknowledging instead would promise what the option exists to
 * guarantee. A write refused this way may still be there (the master kept it) or not (it failed over first).
 */
export async function replicated(redis: RedisClient, ...keys: string[]): Promise<void> {
  const wanted = settings.get(rawClient(redis));
  if (!wanted || wanted.replicas <= 0) return;
  const targets = redis instanceof Cluster ? mastersFor(redis, keys) : [redis];
  const acked = await Promise.all(targets.map((r) => r.call('WAIT', wanted.replicas, wanted.timeoutMs) as Promise<number>));
  const least = Math.min(...acked);
  if (least >= wanted.replicas) return;
  wanted.log?.error('redis.wait.timeout', { replicas: least, wanted: wanted.replicas, timeoutMs: wanted.timeoutMs });
  throw new ServiceUnavailableError();
}

/** The Cluster masters whose replicas must confirm: those of `keys`, or all of them. */
function mastersFor(cluster: Cluster, keys: string[]): RedisClient[] {
  const masters = cluster.nodes('master');
  if (keys.length === 0) return masters;
  const owners = keys.map((key) => cluster.slots[clusterSlot(key)]?.[0]);
  // A slot map being refreshed (a failover) may name no known node yet: then every master.
  if (owners.some((o) => o === undefined)) return masters;
  const mine = masters.filter((n) => owners.includes(`${n.options.host}:${n.options.port}`));
  return mine.length === new Set(owners).size ? mine : masters;
}

/** Turn the durability option on (or off, with 0 replicas) for `redis`. */
replicated.require = (redis: RedisClient, options: WaitForReplicas): void => {
  settings.set(rawClient(redis), options);
};
