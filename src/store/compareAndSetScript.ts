import { defineScript } from './defineScript.js';

/**
 * Replace a JSON value only if it is still the one the caller read (compare-and-set), so that a read, a merge
 * in the application and a write cannot lose a concurrent change: the loser reads again and retries.
 *
 * `expected`: the value read ('' when the key was missing); `next` keeps the key's expiry. True when written,
 * false when the value had changed meanwhile.
 */
export const compareAndSetScript = defineScript<{ keys: { key: string }; args: { expected: string; next: string } }, boolean>({
  name: 'compareAndSet',
  keys: ['key'],
  args: ['expected', 'next'],
  lua: `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`,
  parse: (reply) => reply === 1,
});
