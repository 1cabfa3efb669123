import { defineScript } from '../store/defineScript.js';

/**
 * Store a passkey registered in a TAP sign-in, but only while the TAP that began that sign-in can still carry
 * it: still the user's TAP (not deleted or replaced), started, not ended, not locked. Same hash tag as the TAP
 * (`{u:<userId>}`), so this is one atomic step against the TAP's replacement and deletion
 * (src/tap/replaceTapScript.ts, src/tap/deleteTapScript.ts): a passkey is never registered after its TAP is
 * gone, however the two race.
 *
 * `passkey`: the passkey as JSON. True when stored, false when the TAP no longer carries the sign-in.
 */
export const storePasskeyUnderTapScript = defineScript<
  { keys: { tap: string; passkeys: string }; args: { tapId: string; nowMs: number; credentialId: string; passkey: string } },
  boolean
>({
  name: 'storePasskeyUnderTap',
  keys: ['tap', 'passkeys'],
  args: ['tapId', 'nowMs', 'credentialId', 'passkey'],
  lua: `
local f = redis.call('HMGET', KEYS[1], 'id', 'start', 'end', 'locked')
local now = tonumber(ARGV[2])
if f[1] ~= ARGV[1] or f[4] == '1' or now < tonumber(f[2]) or now >= tonumber(f[3]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return 1
`,
  parse: (reply) => reply === 1,
});
