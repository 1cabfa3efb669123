import { defineScript } from '../store/defineScript.js';
import { fromRedis, type StoredTap } from './StoredTap.js';

/** Delete the user's TAP if it is the one named (`tapId`, '' for whichever there is), returning it. */
export const deleteTapScript = defineScript<{ keys: { tap: string }; args: { tapId: string } }, StoredTap | undefined>({
  name: 'deleteTap',
  keys: ['tap'],
  args: ['tapId'],
  lua: `
local id = redis.call('HGET', KEYS[1], 'id')
if not id or (ARGV[1] ~= '' and ARGV[1] ~= id) then return {} end
local previous = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return previous
`,
  parse: (reply) => fromRedis(reply as string[]),
});
