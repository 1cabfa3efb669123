import type { RedisClient } from './RedisClient.js';
import type { RedisScript, ScriptArg, ScriptCall } from './RedisScript.js';

/** How a script is written down: its Lua, where each named key and argument goes, and how its reply reads. */
export interface ScriptDefinition<Call extends ScriptCall, Result> {
  /** The name the script is registered under on a connection; unique, and no Redis command's name. */
  name: string;
  /** The names of KEYS[1], KEYS[2]… in order. */
  keys: readonly (keyof Call['keys'] & string)[];
  /** The names of ARGV[1], ARGV[2]… in order. */
  args: readonly (keyof Call['args'] & string)[];
  lua: string;
  /** The reply as the caller wants it. */
  parse: (reply: unknown) => Result;
}

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script and its typed wrapper in one definition, kept beside the code that owns it (all key names stay
 * in keys.ts). Registered on a connection the first time it runs there, as an ioredis command: the first call on
 * each socket sends the Lua (EVAL), later ones its digest (EVALSHA), and a Redis that lost it gets the Lua again.
 * Calls join the connection's automatic pipeline like any command, and in a Cluster go to the node of the keys.
 */
export function defineScript<Call extends ScriptCall, Result>(definition: ScriptDefinition<Call, Result>): RedisScript<Call, Result> {
  const { name, keys, args, lua, parse } = definition;
  const registered = new WeakSet<RedisClient>();

  function commandOn(redis: RedisClient): ScriptCommand {
    if (!registered.has(redis)) {
      // A clash would silently run another script (or shadow a command) under this name.
      if (name in redis) throw new Error(`Redis script ${name}: the name is taken on this connection`);
      redis.defineCommand(name, { numberOfKeys: keys.length, lua });
      registered.add(redis);
    }
    return (redis as unknown as Record<string, ScriptCommand>)[name]!.bind(redis);
  }

  return {
    name,
    async run(redis, call) {
      return parse(await commandOn(redis)(...keyList(name, keys, call.keys), ...argList(name, args, call.args)));
    },
  };
}

/** The keys in KEYS order; all of one hash tag, since a script runs on one Cluster node. */
function keyList(script: string, names: readonly string[], given: Record<string, string>): string[] {
  refuseUnnamed(script, names, given);
  const list = names.map((n) => {
    const key = given[n];
    if (typeof key !== 'string') throw new Error(`Redis script ${script}: key ${n} is missing`);
    return key;
  });
  const tag = hashTag(list[0] ?? '');
  if (list.some((k) => hashTag(k) !== tag)) throw new Error(`Redis script ${script}: its keys must share a hash tag`);
  return list;
}

/** The arguments in ARGV order. */
function argList(script: string, names: readonly string[], given: Record<string, ScriptArg>): (string | number)[] {
  refuseUnnamed(script, names, given);
  const out: (string | number)[] = [];
  let ended = false;
  names.forEach((n, i) => {
    const value = given[n];
    if (value === undefined) {
      ended = true;
      return;
    }
    if (ended) throw new Error(`Redis script ${script}: argument ${n} follows a missing one`);
    if (Array.isArray(value)) {
      if (i !== names.length - 1) throw new Error(`Redis script ${script}: only the last argument may be a list`);
      out.push(...(value as readonly (string | number)[]));
    } else if (typeof value === 'boolean') {
      out.push(value ? '1' : '0');
    } else {
      out.push(value as string | number);
    }
  });
  return out;
}

/** A key or argument the definition does not place would be silently dropped. */
function refuseUnnamed(script: string, names: readonly string[], given: object): void {
  for (const n of Object.keys(given)) {
    if (!names.includes(n)) throw new Error(`Redis script ${script}: ${n} has no place in KEYS or ARGV`);
  }
}

/** The part of a key Redis Cluster hashes: the first `{…}` with something inside, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}
