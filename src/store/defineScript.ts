import { createHash } from 'node:crypto';
import { hashTag } from './hashTag.js';
import type { RedisClient } from './RedisClient.js';
import type { RedisScript, ScriptArg, ScriptCall } from './RedisScript.js';

/** How a script is written down: its Lua, where each named key and argument goes, and how its reply reads. */
export interface ScriptDefinition<Call extends ScriptCall, Result> {
  /** For error messages and readers: the script's name. */
  name: string;
  /** The names of KEYS[1], KEYS[2]… in order. */
  keys: readonly (keyof Call['keys'] & string)[];
  /** The names of ARGV[1], ARGV[2]… in order. */
  args: readonly (keyof Call['args'] & string)[];
  lua: string;
  /** The reply as the caller wants it. */
  parse: (reply: unknown) => Result;
}

/**
 * A Lua script and its typed wrapper in one definition, kept beside the code that owns it (all key names stay
 * in keys.ts). The first run on a connection sends the Lua (EVAL), later ones only its digest (EVALSHA), and a
 * Redis that does not know the digest (restarted, another Cluster node) gets the Lua again. EVAL and EVALSHA are
 * plain commands, so a run joins the connection's automatic pipeline and, in a Cluster, goes to the node of its
 * keys.
 */
export function defineScript<Call extends ScriptCall, Result>(definition: ScriptDefinition<Call, Result>): RedisScript<Call, Result> {
  const { name, keys, args, lua, parse } = definition;
  const sha = createHash('sha1').update(lua).digest('hex');
  const sent = new WeakSet<RedisClient>();

  async function send(redis: RedisClient, params: (string | number)[]): Promise<unknown> {
    if (!sent.has(redis)) {
      sent.add(redis);
      return redis.eval(lua, keys.length, ...params);
    }
    try {
      return await redis.evalsha(sha, keys.length, ...params);
    } catch (err) {
      if (!(err as Error).message?.startsWith('NOSCRIPT')) throw err;
      return redis.eval(lua, keys.length, ...params);
    }
  }

  return {
    name,
    async run(redis, call) {
      return parse(await send(redis, [...keyList(name, keys, call.keys), ...argList(name, args, call.args)]));
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
