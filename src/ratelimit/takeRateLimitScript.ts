import { defineScript } from '../store/defineScript.js';

/**
 * Take one request from a token bucket: it holds up to `capacity` requests and refills evenly, full after
 * `refillMs`. Read, refill and take in one step, so that any number of servers at once let exactly the bucket
 * through. A refused request takes nothing. A server whose clock lags the last writer's neither refills nor moves
 * the bucket's time back.
 *
 * Key `bucket`: a hash of tokens and ts. When refused, `retryAfterMs`: the wait until one request is back.
 */
export const takeRateLimitScript = defineScript<
  { keys: { bucket: string }; args: { nowMs: number; capacity: number; refillMs: number } },
  { taken: boolean; retryAfterMs: number }
>({
  name: 'takeRateLimit',
  keys: ['bucket'],
  args: ['nowMs', 'capacity', 'refillMs'],
  lua: `
local now = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local refillMs = tonumber(ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(f[1])
local ts = tonumber(f[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
elseif now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * capacity / refillMs)
  ts = now
end
if tokens < 1 then
  return { 0, math.ceil((1 - tokens) * refillMs / capacity) }
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens - 1), 'ts', string.format('%d', ts))
-- Full again by then, so forgetting it changes nothing.
redis.call('PEXPIRE', KEYS[1], refillMs)
return { 1, 0 }
`,
  parse: (reply) => {
    const [taken, retryAfterMs] = reply as [number, number];
    return { taken: taken === 1, retryAfterMs };
  },
});
