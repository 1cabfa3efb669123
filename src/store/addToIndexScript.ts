import { defineScript } from './defineScript.js';
import { indexMemberLua } from './indexMemberLua.js';

/** Add a member to an index set and make sure the set lives at least as long as the member. */
export const addToIndexScript = defineScript<{ keys: { set: string }; args: { member: string; expiresAtMs: number } }, void>({
  name: 'addToIndex',
  keys: ['set'],
  args: ['member', 'expiresAtMs'],
  lua: `
${indexMemberLua('KEYS[1]', 'ARGV[1]', 'ARGV[2]')}
return 1
`,
  parse: () => undefined,
});
