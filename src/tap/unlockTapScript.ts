import { defineScript } from '../store/defineScript.js';

/**
 * Clear every failure counted against a TAP and its lock, keeping its passcode (an administrator's unlock).
 * True, or false when the user has no TAP `tapId`.
 */
export const unlockTapScript = defineScript<{ keys: { tap: string; failures: string }; args: { tapId: string } }, boolean>({
  name: 'unlockTap',
  keys: ['tap', 'failures'],
  args: ['tapId'],
  lua: `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'locked', '0')
redis.call('DEL', KEYS[2])
return 1
`,
  parse: (reply) => reply === 1,
});
