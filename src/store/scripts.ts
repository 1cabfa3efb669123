/**
 * Every Lua script the product runs, in one place. Each touches only keys of one hash tag.
 *
 * Times are passed in as milliseconds from the caller's clock rather than read with TIME, so that tests can
 * move the clock and every server of a deployment judges a TAP by the same rules.
 */

/**
 * Verify a TAP submission and, in the same step, consume a one-time TAP and count failures. Failures count
 * against the TAP (not the account), per source network, so that guesses from elsewhere cannot hold up the user
 * (README, "Guessing a TAP"): each network waits and is locked on its own count; the TAP itself is locked once
 * all networks together reach the total.
 *
 * KEYS[1] tap hash, KEYS[2] that TAP's failure hash (for a name without a TAP: the stand-ins, where no TAP lives)
 * ARGV[1] now (ms), ARGV[2] candidate digest, ARGV[3] expected tap id, ARGV[4] source network,
 * ARGV[5] failures of a network before its delays start, ARGV[6] failures that lock a network out,
 * ARGV[7] failures in total that lock the TAP, ARGV[8] first delay (ms), ARGV[9] longest delay (ms),
 * ARGV[10] failure record lifetime (ms), ARGV[11] '1' when policy blocks this TAP (verify, never consume)
 *
 * Returns { outcome, tapId, networkCount, retryAfterMs, endMs, once, total }, outcome one of:
 * OK; refused after checking: WRONG, NOTFOUND (no such TAP), NETLOCKED_NOW (this failure locked the network out),
 * LOCKED_NOW (this failure locked the TAP); the right passcode refused, no failure: BLOCKED (policy or one-time
 * use), EXPIRED, NOTYETVALID; refused unchecked, no failure: THROTTLED (retryAfterMs: the wait still left),
 * NETLOCKED, LOCKED. A failure that starts a wait returns it as retryAfterMs.
 */
export const verifyTap = `
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
`;

/**
 * Clear every failure counted against a TAP and its lock, keeping its passcode (an administrator's unlock).
 * KEYS[1] tap hash, KEYS[2] its failure hash; ARGV[1] tap id. Returns 1, or 0 when the user has no such TAP.
 */
export const unlockTap = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'locked', '0')
redis.call('DEL', KEYS[2])
return 1
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

/** Lua: add `member` to the index set `set` and make the set live at least until `expiry` (ms since epoch). */
function indexMember(set: string, member: string, expiry: string): string {
  return `redis.call('SADD', ${set}, ${member})
local want = tonumber(${expiry})
if redis.call('PEXPIRETIME', ${set}) < want then redis.call('PEXPIREAT', ${set}, want) end`;
}

/**
 * Add a member to an index set and make sure the set lives at least as long as the member.
 * KEYS[1] set; ARGV[1] member; ARGV[2] member's expiry (ms since epoch).
 */
export const addToIndex = `
${indexMember('KEYS[1]', 'ARGV[1]', 'ARGV[2]')}
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
 * taken instead, so the id never goes backwards (the record keeps its own time). With ARGV[4], only that many
 * newest records are kept besides (exactly, so the bound holds for any number of appends).
 *
 * KEYS[1] stream; ARGV[1] now (ms), ARGV[2] oldest id to keep (ms), ARGV[3] record (JSON), ARGV[4] optional cap.
 * Returns the new entry's id.
 */
export const appendAudit = `
local ok = redis.pcall('XADD', KEYS[1], 'MINID', ARGV[2], ARGV[1] .. '-*', 'r', ARGV[3])
if type(ok) == 'table' and ok.err then
  ok = redis.call('XADD', KEYS[1], 'MINID', ARGV[2], '*', 'r', ARGV[3])
end
if ARGV[4] then
  redis.call('XTRIM', KEYS[1], 'MAXLEN', tonumber(ARGV[4]))
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

/**
 * Take one request from a token bucket: it holds up to ARGV[2] requests and refills evenly, full after ARGV[3]
 * ms. Read, refill and take in one step, so that any number of servers at once let exactly the bucket through.
 * A refused request takes nothing. A server whose clock lags the last writer's neither refills nor moves the
 * bucket's time back.
 *
 * KEYS[1] bucket (hash: tokens, ts); ARGV[1] now (ms), ARGV[2] capacity, ARGV[3] refill time (ms).
 * Returns { 1, 0 } when taken, else { 0, wait (ms) until one request is back }.
 */
export const takeRateLimit = `
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
`;

/**
 * Index a session or grant under the TAP it was obtained with, but only while that TAP is still the user's: a
 * TAP replaced or deleted in the meantime has already had its index revoked, and a member added after that
 * would outlive the revocation. Same hash tag as the TAP (`{u:<userId>}`), so this is one atomic step against
 * `replaceTap` and `deleteTap`.
 *
 * KEYS[1] the user's TAP hash, KEYS[2] the TAP's index; ARGV[1] tap id, ARGV[2] member, ARGV[3] member's expiry
 * (ms since epoch). Returns 1 when indexed, 0 when the TAP is gone (the caller must end the member).
 */
export const addToTapIndex = `
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
${indexMember('KEYS[2]', 'ARGV[2]', 'ARGV[3]')}
return 1
`;

/**
 * Replace a JSON value only if it is still the one the caller read (compare-and-set), so that a read, a merge
 * in the application and a write cannot lose a concurrent change: the loser reads again and retries.
 *
 * KEYS[1] the key; ARGV[1] the value read ('' when the key was missing), ARGV[2] the new value, which keeps the
 * key's expiry. Returns 1 when written, 0 when the value had changed meanwhile.
 */
export const compareAndSet = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`;

/**
 * Delete a passkey unless it is the user's last one: the count and the deletion in one step, so two deletions
 * at once cannot both see "another one is left".
 *
 * KEYS[1] the user's passkey hash; ARGV[1] credential id, ARGV[2] '1' to keep the last one.
 * Returns 1 deleted, 0 not found, -1 refused (it is the last one). The credential's owner key is another hash
 * tag; the caller releases it afterwards.
 */
export const deletePasskey = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == '1' and redis.call('HLEN', KEYS[1]) <= 1 then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`;

/**
 * Delete a key only if it still holds the given value (e.g. a user principal name that still points at this
 * user, not at whoever took the name since). KEYS[1] the key; ARGV[1] the value. Returns 1 deleted, 0 not.
 */
export const compareAndDelete = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

/**
 * Store a passkey registered in a TAP sign-in, but only while the TAP that began that sign-in can still carry
 * it: still the user's TAP (not deleted or replaced), started, not ended, not locked. Same hash tag as the TAP
 * (`{u:<userId>}`), so this is one atomic step against `replaceTap` and `deleteTap`: a passkey is never
 * registered after its TAP is gone, however the two race.
 *
 * KEYS[1] the user's TAP hash, KEYS[2] the user's passkey hash; ARGV[1] tap id, ARGV[2] now (ms), ARGV[3]
 * credential id, ARGV[4] the passkey (JSON). Returns 1 when stored, 0 when the TAP no longer carries the sign-in.
 */
export const storePasskeyUnderTap = `
local f = redis.call('HMGET', KEYS[1], 'id', 'start', 'end', 'locked')
local now = tonumber(ARGV[2])
if f[1] ~= ARGV[1] or f[4] == '1' or now < tonumber(f[2]) or now >= tonumber(f[3]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
return 1
`;

