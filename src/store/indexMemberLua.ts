/** Lua: add `member` to the index set `set` and make the set live at least until `expiry` (ms since epoch). */
export function indexMemberLua(set: string, member: string, expiry: string): string {
  return `redis.call('SADD', ${set}, ${member})
local want = tonumber(${expiry})
if redis.call('PEXPIRETIME', ${set}) < want then redis.call('PEXPIREAT', ${set}, want) end`;
}
