import { defineScript } from './defineScript.js';
import { indexMemberLua } from './indexMemberLua.js';

/**
 * Index a session or grant under the passkey it was obtained with, but only while that passkey is still the
 * user's: a passkey deleted in the meantime has already had its index revoked, and a member added after that
 * would outlive the revocation. Same hash tag as the passkeys (`{u:<userId>}`), so this is one atomic step against
 * the deletion (src/passkeys/deletePasskeyScript.ts).
 *
 * True when indexed, false when the passkey is gone (the caller must end the member).
 */
export const addToPasskeyIndexScript = defineScript<
  { keys: { passkeys: string; index: string }; args: { credentialId: string; member: string; expiresAtMs: number } },
  boolean
>({
  name: 'addToPasskeyIndex',
  keys: ['passkeys', 'index'],
  args: ['credentialId', 'member', 'expiresAtMs'],
  lua: `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
${indexMemberLua('KEYS[2]', 'ARGV[2]', 'ARGV[3]')}
return 1
`,
  parse: (reply) => reply === 1,
});
