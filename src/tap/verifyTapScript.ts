import { defineScript } from '../store/defineScript.js';

/**
 * What `verifyTapScript` came to. OK; refused after checking: WRONG, NOTFOUND (no such TAP), NETLOCKED_NOW (this
 * failure locked the network out), LOCKED_NOW (this failure locked the TAP); the right passcode refused, no
 * failure: BLOCKED (policy or one-time use), EXPIRED, NOTYETVALID; refused unchecked, no failure: THROTTLED
 * (`retryAfterMs`: the wait still left), NETLOCKED, LOCKED.
 */
export type VerifyTapOutcome =
  | 'OK'
  | 'WRONG'
  | 'NOTFOUND'
  | 'NETLOCKED_NOW'
  | 'LOCKED_NOW'
  | 'BLOCKED'
  | 'EXPIRED'
  | 'NOTYETVALID'
  | 'THROTTLED'
  | 'NETLOCKED'
  | 'LOCKED';

/**
 * Verify a TAP submission and, in the same step, consume a one-time TAP and count failures. Failures count
 * against the TAP (not the account), per source network, so that guesses from elsewhere cannot hold up the user
 * (README, "Guessing a TAP"): each network waits and is locked on its own count; the TAP itself is locked once
 * all networks together reach the total.
 *
 * Times are passed in as milliseconds from the caller's clock rather than read with TIME, so that tests can
 * move the clock and every server of a deployment judges a TAP by the same rules.
 *
 * Keys: `tap` the TAP hash, `failures` that TAP's failure hash (for a name without a TAP: the stand-ins, where no
 * TAP lives). `tapId`: the TAP the caller read; `blocked`: policy blocks this TAP (verify, never consume).
 * A failure that starts a wait returns it as `retryAfterMs`; `failures` counts this network's, `totalFailures`
 * every network's.
 */
export const verifyTapScript = defineScript<
  {
    keys: { tap: string; failures: string };
    args: {
      nowMs: number;
      candidate: string;
      tapId: string;
      network: string;
      delayAfterFailures: number;
      networkLockAfterFailures: number;
      tapLockAfterFailures: number;
      firstDelayMs: number;
      maxDelayMs: number;
      failureMemoryMs: number;
      blocked: boolean;
    };
  },
  { outcome: VerifyTapOutcome; tapId: string; failures: number; retryAfterMs: number; endMs: number; once: boolean; totalFailures: number }
>({
  name: 'verifyTap',
  keys: ['tap', 'failures'],
  args: [
    'nowMs',
    'candidate',
    'tapId',
    'network',
    'delayAfterFailures',
    'networkLockAfterFailures',
    'tapLockAfterFailures',
    'firstDelayMs',
    'maxDelayMs',
    'failureMemoryMs',
    'blocked',
  ],
  lua: `
local now = tonumber(ARGV[1])
local net = ARGV[4]
local threshold = tonumber(ARGV[5])
local netLockAt = tonumber(ARGV[6])
local tapLockAt = tonumber(ARGV[7])
local baseDelay = tonumber(ARGV[8])
local maxDelay = tonumber(ARGV[9])
local failTtl = tonumber(ARGV[10])

local f = redis.call('HMGET', KEYS[1], 'id', 'hash', 'start', 'end', 'once', 'used', 'locked')
local tapId, hash, startMs, endMs, once, used = f[1], f[2], tonumber(f[3]), tonumber(f[4]) or 0, f[5] or '0', f[6]
-- Only the TAP the caller read counts: one replaced in between is another TAP.
if tapId ~= ARGV[3] then tapId = false end
local g = redis.call('HMGET', KEYS[2], 'total', 'locked', 'c:' .. net, 't:' .. net)
local total = tonumber(g[1] or '0')
local count = tonumber(g[3] or '0')
local last = tonumber(g[4] or '0')

local function delayAfter(failures)
  local delay = baseDelay * (2 ^ (failures - threshold))
  if delay > maxDelay then delay = maxDelay end
  return delay
end

local function reply(outcome, retry)
  return { outcome, tapId or '', count, retry, endMs, once, total }
end

-- Refused unchecked, and no failure: a locked TAP, a locked network, a network that must still wait.
if (tapId and f[7] == '1') or g[2] == '1' then return reply('LOCKED', 0) end
if count >= netLockAt then return reply('NETLOCKED', 0) end
if count >= threshold then
  local readyAt = last + delayAfter(count)
  if now < readyAt then return reply('THROTTLED', readyAt - now) end
end

local function fail(outcome)
  count = count + 1
  total = total + 1
  redis.call('HSET', KEYS[2], 'total', total, 'c:' .. net, count, 't:' .. net, now)
  redis.call('PEXPIRE', KEYS[2], failTtl)
  if total >= tapLockAt then
    redis.call('HSET', KEYS[2], 'locked', '1')
    if tapId then redis.call('HSET', KEYS[1], 'locked', '1') end
    return reply('LOCKED_NOW', 0)
  end
  if count >= netLockAt then return reply('NETLOCKED_NOW', 0) end
  if count >= threshold then return reply(outcome, delayAfter(count)) end
  return reply(outcome, 0)
end

-- Constant-time comparison of two equal-length digests; without a TAP, against a stand-in of the same length.
local candidate = ARGV[2]
local diff = 0
if not tapId then
  hash = string.rep('-', string.len(candidate))
  diff = 1
end
if string.len(candidate) ~= string.len(hash) then diff = 1 end
for i = 1, math.min(string.len(candidate), string.len(hash)) do
  diff = bit.bor(diff, bit.bxor(string.byte(candidate, i), string.byte(hash, i)))
end
if diff ~= 0 then
  if tapId then return fail('WRONG') end
  return fail('NOTFOUND')
end

-- The right passcode is never a failure, whatever else refuses it.
if now < startMs then return reply('NOTYETVALID', 0) end
if now >= endMs then return reply('EXPIRED', 0) end
if ARGV[11] == '1' or (once == '1' and used ~= '0') then return reply('BLOCKED', 0) end

if once == '1' then
  redis.call('HSET', KEYS[1], 'used', now)
end
redis.call('HSET', KEYS[1], 'lastUsed', now)
redis.call('DEL', KEYS[2])
count = 0
total = 0
return reply('OK', 0)
`,
  parse: (reply) => {
    const [outcome, tapId, failures, retryAfterMs, endMs, once, totalFailures] = reply as [VerifyTapOutcome, string, number, number, number, string, number];
    return { outcome, tapId, failures: Number(failures), retryAfterMs: Number(retryAfterMs), endMs: Number(endMs), once: once === '1', totalFailures: Number(totalFailures) };
  },
});
