import { defineScript } from './defineScript.js';

/**
 * Delete a key only if it still holds the given value (e.g. a user principal name that still points at this
 * user, not at whoever took the name since). True when deleted.
 */
export const compareAndDeleteScript = defineScript<{ keys: { key: string }; args: { expected: string } }, boolean>({
  name: 'compareAndDelete',
  keys: ['key'],
  args: ['expected'],
  lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`,
  parse: (reply) => reply === 1,
});
