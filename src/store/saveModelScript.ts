import { defineScript } from './defineScript.js';

/**
 * Store an oidc-provider model instance whole: its payload as the hash's `p`, nothing else left of an earlier
 * version (a `consumed` mark), and its absolute end. One command rather than MULTI/DEL/HSET/PEXPIREAT/EXEC: it
 * joins the connection's automatic pipeline with the request's other saves (one round trip for all of them), and
 * costs Redis one command instead of five.
 */
export const saveModelScript = defineScript<{ keys: { model: string }; args: { payload: string; expiresAtMs: number } }, void>({
  name: 'saveModel',
  keys: ['model'],
  args: ['payload', 'expiresAtMs'],
  lua: `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'p', ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
`,
  parse: () => undefined,
});
