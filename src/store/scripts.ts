/**
 * Every Lua script the product runs, in one place. Each touches only keys of one hash tag.
 *
 * Times are passed in as milliseconds from the caller's clock rather than read with TIME, so that tests can
 * move the clock and every server of a deployment judges a TAP by the same rules.
 */

/**
 * Verify a TAP submission and, in the same step, consume a one-time TAP and count failures.
 *
 * KEYS[1] tap hash, KEYS[2] failure hash
 * ARGV[1] now (ms), ARGV[2] candidate hash (hex), ARGV[3] expected tap id (may be ''),
 * ARGV[4] failures before delays start, ARGV[5] failures that lock the TAP,
 * ARGV[6] first delay (ms), ARGV[7] longest delay (ms), ARGV[8] failure record lifetime (ms),
 * ARGV[9] '1' when policy blocks this TAP (verify the passcode, never consume)
 *
 * Returns { outcome, tapId, count, retryAfterMs, endMs, once }, outcome one of:
 * OK, BLOCKED (right passcode, policy or one-time use blocks it), WRONG, THROTTLED, LOCKED, LOCKED_NOW (this
 * refusal locked the TAP), NOTFOUND, EXPIRED, NOTYETVALID. Every refusal but BLOCKED counts as a failure, a
 * THROTTLED one too; its retryAfterMs is the wait it leaves behind, counted from now.
 */
export const verifyTap = `
local now = tonumber(ARGV[1])
local threshold = tonumber(ARGV[4])
local lockAt = tonumber(ARGV[5])
local baseDelay = tonumber(ARGV[6])
local maxDelay = tonumber(ARGV[7])
local failTtl = tonumber(ARGV[8])

local count = tonumber(redis.call('HGET', KEYS[2], 'count') or '0')
local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')

local function delayAfter(failures)
  local delay = baseDelay * (2 ^ (failures - threshold))
  if delay > maxDelay then delay = maxDelay end
  return delay
end

local function fail(outcome, tapId, endMs, once, retry)
  count = count + 1
  redis.call('HSET', KEYS[2], 'count', count, 'last', now)
  redis.call('PEXPIRE', KEYS[2], failTtl)
  if count >= lockAt and redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('HSET', KEYS[1], 'locked', '1')
    if outcome == 'WRONG' or outcome == 'THROTTLED' then outcome = 'LOCKED_NOW' end
  end
  -- A try refused for coming too early counts too and restarts a longer wait: say how long from now.
  if outcome == 'THROTTLED' then retry = delayAfter(count) end
  return { outcome, tapId, count, retry, endMs, once }
end

local f = redis.call('HMGET', KEYS[1], 'id', 'hash', 'start', 'end', 'once', 'used', 'locked')
local tapId, hash, startMs, endMs, once, used, locked = f[1], f[2], tonumber(f[3]), tonumber(f[4]), f[5], f[6], f[7]

if not tapId or (ARGV[3] ~= '' and ARGV[3] ~= tapId) then
  return fail('NOTFOUND', '', 0, '0', 0)
end
if locked == '1' then
  return fail('LOCKED', tapId, endMs, once, 0)
end

-- Progressive delay: from the threshold-th consecutive failure on, each try must wait longer.
if count >= threshold then
  local readyAt = last + delayAfter(count)
  if now < readyAt then
    return fail('THROTTLED', tapId, endMs, once, readyAt - now)
  end
end

-- Constant-time comparison of two equal-length hex digests.
local candidate = ARGV[2]
local diff = 0
if string.len(candidate) ~= string.len(hash) then diff = 1 end
for i = 1, math.min(string.len(candidate), string.len(hash)) do
  diff = bit.bor(diff, bit.bxor(string.byte(candidate, i), string.byte(hash, i)))
end
if diff ~= 0 then
  return fail('WRONG', tapId, endMs, once, 0)
end

if now < startMs then return fail('NOTYETVALID', tapId, endMs, once, 0) end
if now >= endMs then return fail('EXPIRED', tapId, endMs, once, 0) end
if ARGV[9] == '1' or (once == '1' and used ~= '0') then
  return { 'BLOCKED', tapId, count, 0, endMs, once }
end

if once == '1' then
  redis.call('HSET', KEYS[1], 'used', now)
end
redis.call('HSET', KEYS[1], 'lastUsed', now)
redis.call('DEL', KEYS[2])
return { 'OK', tapId, 0, 0, endMs, once }
`;

/**
 * Replace the user's TAP, returning the previous one so the caller can revoke what it granted.
 * KEYS[1] tap hash; ARGV[1] expire-at (ms); ARGV[2..] field/value pairs.
 * Returns the previous record as a flat field/value list (empty when there was none).
 */
export const replaceTap = `
local previous = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return previous
`;

/**
 * Delete the user's TAP if it is the one named, returning it.
 * KEYS[1] tap hash; ARGV[1] tap id ('' for whichever there is).
 */
export const deleteTap = `
local id = redis.call('HGET', KEYS[1], 'id')
if not id or (ARGV[1] ~= '' and ARGV[1] ~= id) then return {} end
local previous = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return previous
`;

/**
 * Mark an oidc-provider model consumed exactly once.
 * KEYS[1] model key. Returns 1 on the first call, 0 when already consumed, -1 when missing.
 */
export const consumeModel = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1])
`;

/**
 * Add a member to an index set and make sure the set lives at least as long as the member.
 * KEYS[1] set; ARGV[1] member; ARGV[2] member's expiry (ms since epoch).
 */
export const addToIndex = `
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = redis.call('PEXPIRETIME', KEYS[1])
local want = tonumber(ARGV[2])
if ttl < want then redis.call('PEXPIREAT', KEYS[1], want) end
return 1
`;

/**
 * Record a passkey sign-in: refuse a signature counter that did not move forward (a cloned authenticator),
 * else store the new counter and the time of use. Authenticators that keep no counter send 0 every time.
 *
 * KEYS[1] the user's passkey hash; ARGV[1] credential id, ARGV[2] new counter, ARGV[3] now (ms)
 * Returns OK, CLONED or NOTFOUND.
 */
export const usePasskey = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 'NOTFOUND' end
local pk = cjson.decode(raw)
local newCounter = tonumber(ARGV[2])
local old = tonumber(pk.counter or 0)
if (newCounter > 0 or old > 0) and newCounter <= old then return 'CLONED' end
pk.counter = newCounter
pk.lastUsedAt = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(pk))
return 'OK'
`;

/**
 * Rename a passkey without losing a concurrent counter update.
 *
 * KEYS[1] the user's passkey hash; ARGV[1] credential id, ARGV[2] new name. Returns OK or NOTFOUND.
 */
export const renamePasskey = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 'NOTFOUND' end
local pk = cjson.decode(raw)
pk.name = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(pk))
return 'OK'
`;

/**
 * Append an audit record with an id taken from the caller's clock, and drop records older than the retention.
 * Ids from the clock let tests move time; when another server's clock ran ahead, the stream's own next id is
 * taken instead, so the id never goes backwards (the record keeps its own time).
 *
 * KEYS[1] stream; ARGV[1] now (ms), ARGV[2] oldest id to keep (ms), ARGV[3] record (JSON).
 * Returns the new entry's id.
 */
export const appendAudit = `
local ok = redis.pcall('XADD', KEYS[1], 'MINID', ARGV[2], ARGV[1] .. '-*', 'r', ARGV[3])
if type(ok) == 'table' and ok.err then
  return redis.call('XADD', KEYS[1], 'MINID', ARGV[2], '*', 'r', ARGV[3])
end
return ok
`;

/**
 * Take up to ARGV[3] due Security Event Token deliveries, leasing each until ARGV[2], so that another server
 * (or this one, after a crash) tries it again only once the lease has run out.
 *
 * KEYS[1] queue (sorted set by due time), KEYS[2] jobs (hash); ARGV[1] now (ms), ARGV[2] lease end (ms),
 * ARGV[3] how many. Returns a flat list id, job, id, job…
 */
export const claimSecurityEvents = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local job = redis.call('HGET', KEYS[2], id)
  if job then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    out[#out + 1] = id
    out[#out + 1] = job
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
`;
