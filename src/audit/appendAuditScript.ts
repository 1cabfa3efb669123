import { defineScript } from '../store/defineScript.js';

/**
 * Append an audit record with an id taken from the caller's clock, and drop records older than the retention.
 * Ids from the clock let tests move time; when another server's clock ran ahead, the stream's own next id is
 * taken instead, so the id never goes backwards (the record keeps its own time). With `maxLength`, only that
 * many newest records are kept besides (exactly, so the bound holds for any number of appends).
 *
 * `minMs`: the oldest id to keep; `record`: JSON. Returns the new entry's id.
 */
export const appendAuditScript = defineScript<
  { keys: { stream: string }; args: { nowMs: number; minMs: number; record: string; maxLength: number | undefined } },
  string
>({
  name: 'appendAudit',
  keys: ['stream'],
  args: ['nowMs', 'minMs', 'record', 'maxLength'],
  lua: `
local ok = redis.pcall('XADD', KEYS[1], 'MINID', ARGV[2], ARGV[1] .. '-*', 'r', ARGV[3])
if type(ok) == 'table' and ok.err then
  ok = redis.call('XADD', KEYS[1], 'MINID', ARGV[2], '*', 'r', ARGV[3])
end
if ARGV[4] then
  redis.call('XTRIM', KEYS[1], 'MAXLEN', tonumber(ARGV[4]))
end
return ok
`,
  parse: (reply) => String(reply),
});
