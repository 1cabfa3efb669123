import { defineScript } from '../store/defineScript.js';
import { ENCODE_PASSKEY_LUA } from './ENCODE_PASSKEY_LUA.js';

/** Rename a passkey without losing a concurrent counter update. False when there is no such passkey. */
export const renamePasskeyScript = defineScript<{ keys: { passkeys: string }; args: { credentialId: string; name: string } }, boolean>({
  name: 'renamePasskey',
  keys: ['passkeys'],
  args: ['credentialId', 'name'],
  lua: `${ENCODE_PASSKEY_LUA}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 'NOTFOUND' end
local pk = cjson.decode(raw)
pk.name = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], encodePasskey(pk))
return 'OK'
`,
  parse: (reply) => reply === 'OK',
});
