import { defineScript } from '../store/defineScript.js';

/**
 * Delete a passkey unless it is the user's last one (with `keepLast`): the count and the deletion in one step,
 * so two deletions at once cannot both see "another one is left". The credential's owner key is another hash
 * tag; the caller releases it afterwards.
 */
export const deletePasskeyScript = defineScript<
  { keys: { passkeys: string }; args: { credentialId: string; keepLast: boolean } },
  'deleted' | 'notFound' | 'last'
>({
  name: 'deletePasskey',
  keys: ['passkeys'],
  args: ['credentialId', 'keepLast'],
  lua: `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == '1' and redis.call('HLEN', KEYS[1]) <= 1 then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`,
  parse: (reply) => (reply === 1 ? 'deleted' : reply === -1 ? 'last' : 'notFound'),
});
