import { defineScript } from './defineScript.js';
import { indexMemberLua } from './indexMemberLua.js';

/**
 * Index a session or grant under the TAP it was obtained with, but only while that TAP is still the user's: a
 * TAP replaced or deleted in the meantime has already had its index revoked, and a member added after that
 * would outlive the revocation. Same hash tag as the TAP (`{u:<userId>}`), so this is one atomic step against
 * the TAP's replacement and deletion (src/tap/replaceTapScript.ts, src/tap/deleteTapScript.ts).
 *
 * True when indexed, false when the TAP is gone (the caller must end the member).
 */
export const addToTapIndexScript = defineScript<
  { keys: { tap: string; index: string }; args: { tapId: string; member: string; expiresAtMs: number } },
  boolean
>({
  name: 'addToTapIndex',
  keys: ['tap', 'index'],
  args: ['tapId', 'member', 'expiresAtMs'],
  lua: `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
${indexMemberLua('KEYS[2]', 'ARGV[2]', 'ARGV[3]')}
return 1
`,
  parse: (reply) => reply === 1,
});
