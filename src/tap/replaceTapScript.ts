import { defineScript } from '../store/defineScript.js';
import { fromRedis, type StoredTap } from './StoredTap.js';

/**
 * Replace the user's TAP, returning the previous one (if any) so the caller can revoke what it granted.
 * `fields`: the new TAP's field/value pairs (`toFields`); it expires at `expireAtMs`.
 */
export const replaceTapScript = defineScript<
  { keys: { tap: string }; args: { expireAtMs: number; fields: readonly (string | number)[] } },
  StoredTap | undefined
>({
  name: 'replaceTap',
  keys: ['tap'],
  args: ['expireAtMs', 'fields'],
  lua: `
local previous = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return previous
`,
  parse: (reply) => fromRedis(reply as string[]),
});
