import { Command, type Cluster } from 'ioredis';

/** Cluster answers that mean the node did not run the command: it belongs elsewhere, or nowhere just now. */
const NOT_RUN = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /;

/**
 * `cluster` with automatic pipelining (one write and one read per node for the commands of a tick, issue #18: a
 * sign-in's commands spread over the masters, each sent alone, cost Redis three to four times the CPU of the same
 * commands pipelined to one Redis), and every pipelined command that a node answered MOVED, ASK, TRYAGAIN or
 * CLUSTERDOWN sent again on its own, the way unpipelined commands go: following the redirect, refreshing the
 * slots, retrying as connectRedis configures.
 *
 * ioredis itself resends a pipeline only when every command in it failed alike or only read; a pipeline that mixes
 * keys of several slots during a failover gets MOVED for some commands and success for others, and those MOVED
 * would otherwise reach the request (as 503s until the slots are refreshed). A node that answers one of these
 * errors has not run the command, so sending it again runs it once.
 */
export function redirectPipelinedCommands(cluster: Cluster): Cluster {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(cluster, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function' || !isCommand(prop)) return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        const command = value as (...args: unknown[]) => Promise<unknown>;
        fn = (...args: unknown[]) => {
          const sent = command.apply(target, args);
          if (!(sent instanceof Promise)) return sent;
          return sent.catch((err: unknown) => {
            if (!(err instanceof Error) || !NOT_RUN.test(err.message)) throw err;
            const name = prop === 'call' ? String(args[0]) : prop;
            const again = new Command(name, (prop === 'call' ? args.slice(1) : args).flat() as (string | Buffer | number)[], { replyEncoding: 'utf8' });
            void target.sendCommand(again);
            return again.promise;
          });
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}

/** Whether `name` is one of the commands (a method ioredis sends), not a client method such as `on` or `pipeline`. */
function isCommand(name: string): boolean {
  return COMMANDS.has(name.toLowerCase());
}

/** The commands the product sends through a Cluster (keys.ts families, scripts): the others pass unchanged. */
const COMMANDS = new Set([
  'call', 'get', 'set', 'del', 'unlink', 'exists', 'getdel', 'incr', 'incrby', 'expire', 'pexpire', 'pexpireat', 'persist', 'pttl', 'ttl',
  'hget', 'hgetall', 'hmget', 'hset', 'hsetnx', 'hdel', 'hlen', 'hvals', 'hexists', 'hincrby', 'hkeys',
  'sadd', 'srem', 'smembers', 'scard', 'sismember', 'zadd', 'zrem', 'zrange', 'zrangebyscore', 'zscore', 'zcard',
  'xadd', 'xrange', 'xrevrange', 'xlen', 'eval', 'evalsha',
]);
