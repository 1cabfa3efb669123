import { defineScript } from '../store/defineScript.js';
import { ENCODE_PASSKEY_LUA } from './ENCODE_PASSKEY_LUA.js';

/**
 * Record a passkey sign-in: refuse a signature counter that did not move forward (a cloned authenticator),
 * else store the new counter and the time of use. Authenticators that keep no counter send 0 every time.
 */
export const usePasskeyScript = defineScript<
  { keys: { passkeys: string }; args: { credentialId: string; counter: number; nowMs: number } },
  'OK' | 'CLONED' | 'NOTFOUND'
>({
  name: 'usePasskey',
  keys: ['passkeys'],
  args: ['credentialId', 'counter', 'nowMs'],
  lua: `${ENCODE_PASSKEY_LUA}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 'NOTFOUND' end
local pk = cjson.decode(raw)
local newCounter = tonumber(ARGV[2])
local old = tonumber(pk.counter or 0)
if (newCounter > 0 or old > 0) and newCounter <= old then return 'CLONED' end
pk.counter = newCounter
pk.lastUsedAt = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], encodePasskey(pk))
return 'OK'
`,
  parse: (reply) => reply as 'OK' | 'CLONED' | 'NOTFOUND',
});
