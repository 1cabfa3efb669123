import type { RedisClient } from './RedisClient.js';

/**
 * One argument of a script call. A boolean is sent as '1' or '0'; a list is spread into the remaining ARGV
 * (only the last argument may be one); `undefined` is left out (only trailing arguments may be).
 */
export type ScriptArg = string | number | boolean | readonly (string | number)[] | undefined;

/** The named keys and arguments of one call of a script. */
export interface ScriptCall {
  keys: Record<string, string>;
  args: Record<string, ScriptArg>;
}

/** A Lua script with named keys and arguments (see `defineScript`). */
export interface RedisScript<Call extends ScriptCall, Result> {
  readonly name: string;
  /** Run the script on `redis`, in one atomic step; every key of one call must share a hash tag. */
  run(redis: RedisClient, call: Call): Promise<Result>;
}
