import { defineScript } from '../store/defineScript.js';

/**
 * Approve the user's pending TAP `tapId` as administrator `approver`, in one step with the checks: `APPROVED`;
 * `SELF` when the approver issued it (two people, not one twice); `NOTPENDING` when it needs no approval (or no
 * longer); `NOTFOUND` when the user has no TAP `tapId` (deleted or replaced meanwhile).
 */
export const approveTapScript = defineScript<{ keys: { tap: string }; args: { tapId: string; approver: string } }, 'APPROVED' | 'SELF' | 'NOTPENDING' | 'NOTFOUND'>({
  name: 'approveTap',
  keys: ['tap'],
  args: ['tapId', 'approver'],
  lua: `
local f = redis.call('HMGET', KEYS[1], 'id', 'pending', 'requestedBy')
if f[1] ~= ARGV[1] then return 'NOTFOUND' end
if f[2] ~= '1' then return 'NOTPENDING' end
if f[3] == ARGV[2] then return 'SELF' end
redis.call('HSET', KEYS[1], 'pending', '0', 'approvedBy', ARGV[2])
return 'APPROVED'
`,
  parse: (reply) => reply as 'APPROVED' | 'SELF' | 'NOTPENDING' | 'NOTFOUND',
});
