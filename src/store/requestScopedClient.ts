import type { Store } from './connectRedis.js';
import { RAW_CLIENT } from './rawClient.js';
import { RequestScope } from './RequestScope.js';

/** Reads whose answers a request keeps (by command and arguments): all take their key first. */
const READS = new Set(['get', 'hgetall', 'hget', 'hmget', 'hvals', 'hlen', 'hexists', 'smembers', 'scard', 'sismember', 'exists', 'pttl']);
/** Writes that touch only their first argument's key. */
const ONE_KEY_WRITES = new Set(['set', 'hset', 'hsetnx', 'hdel', 'hincrby', 'sadd', 'srem', 'zadd', 'zrem', 'pexpire', 'pexpireat', 'expire', 'xadd', 'getdel', 'incr', 'incrby', 'persist']);
/** Writes whose every argument is a key. */
const ALL_KEY_WRITES = new Set(['del', 'unlink']);

/** A copy, so that a caller that changes what it read does not change what the next caller reads. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (value && typeof value === 'object') return { ...(value as Record<string, unknown>) };
  return value;
}

/**
 * `redis`, where the reads of a request (see RequestScope) are asked once: the second `get` of the same key in
 * one request is answered from the first, unless the request wrote to that key in between. A script's keys
 * (EVAL/EVALSHA) count as written; a MULTI or any other command forgets everything the request read, since
 * which keys it touches is not known here. Outside a request, and after its response, it is `redis` itself.
 *
 * What a request reads twice it now reads once: the steps of a sign-in that each look up the user, their TAP,
 * the TAP policy and their passkeys (the flow asks every method at once, then the chosen method again).
 */
export function requestScopedClient(redis: Store): Store {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(redis, {
    get(target, prop, receiver) {
      const known = wrapped.get(prop);
      if (known) return known;
      if (prop === RAW_CLIENT) return target;
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      let fn: unknown;
      const command = value as (...args: unknown[]) => unknown;
      const name = prop.toLowerCase();
      if (READS.has(name)) {
        fn = (...args: unknown[]) => {
          const scope = RequestScope.current();
          if (!scope) return command.apply(target, args);
          const key = args[0];
          const id = args.length === 1 ? name : `${name}\u0000${args.slice(1).join('\u0000')}`;
          let ofKey = scope.reads.get(key);
          if (!ofKey) scope.reads.set(key, (ofKey = new Map()));
          let answer = ofKey.get(id);
          if (!answer) {
            const kept = ofKey;
            answer = (command.apply(target, args) as Promise<unknown>).catch((err: unknown) => {
              kept.delete(id);
              throw err;
            });
            ofKey.set(id, answer);
          }
          return answer.then(copy);
        };
      } else {
        fn = (...args: unknown[]) => {
          const scope = RequestScope.current();
          if (scope) forget(scope, name, args);
          return command.apply(target, args);
        };
      }
      wrapped.set(prop, fn);
      return fn;
    },
  });
}

/** Forget what the request read of the keys `name` with `args` may write. */
function forget(scope: RequestScope, name: string, args: unknown[]): void {
  if (scope.reads.size === 0) return;
  let touched: unknown[] | undefined;
  if (ONE_KEY_WRITES.has(name)) touched = [args[0]];
  else if (ALL_KEY_WRITES.has(name)) touched = args;
  else if (name === 'eval' || name === 'evalsha') touched = args.slice(2, 2 + Number(args[1]));
  if (!touched) {
    scope.reads.clear();
    return;
  }
  for (const key of touched) scope.reads.delete(key);
}
