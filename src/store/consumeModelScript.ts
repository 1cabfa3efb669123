import { defineScript } from './defineScript.js';

/**
 * Mark an oidc-provider model consumed (at `at`, seconds since epoch) exactly once. True on the first call only;
 * false when it was consumed already or is missing.
 */
export const consumeModelScript = defineScript<{ keys: { model: string }; args: { at: number } }, boolean>({
  name: 'consumeModel',
  keys: ['model'],
  args: ['at'],
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1])
`,
  parse: (reply) => reply === 1,
});
