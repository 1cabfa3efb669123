import { defineScript } from '../store/defineScript.js';

/**
 * Take up to `count` due deliveries (security events, logout tokens) or other due jobs (TAP ends), leasing each until `leaseEndMs`, so that another
 * server (or this one, after a crash) tries it again only once the lease has run out.
 *
 * Keys: `queue` a sorted set by due time, `jobs` a hash of id → job.
 */
export const claimDeliveriesScript = defineScript<
  { keys: { queue: string; jobs: string }; args: { nowMs: number; leaseEndMs: number; count: number } },
  { id: string; job: string }[]
>({
  name: 'claimDeliveries',
  keys: ['queue', 'jobs'],
  args: ['nowMs', 'leaseEndMs', 'count'],
  lua: `
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
`,
  parse: (reply) => {
    const flat = reply as string[];
    const claimed: { id: string; job: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) claimed.push({ id: flat[i]!, job: flat[i + 1]! });
    return claimed;
  },
});
