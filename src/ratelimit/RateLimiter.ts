import { createHash } from 'node:crypto';
import type { Clock } from '../Clock.js';
import type { RateLimits } from './RateLimits.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { addressSubject } from './addressSubject.js';
import { takeRateLimitScript } from './takeRateLimitScript.js';

/** One bucket to take from: which limit, and what it counts (an address, an account, a client, a caller). */
export type RateLimitCheck = readonly [limit: keyof RateLimits, subject: string];

/** The outcome of `take`: allowed, or refused by the named limit for at least `retryAfterSeconds`. */
export type RateLimitResult = { ok: true } | { ok: false; limit: keyof RateLimits; retryAfterSeconds: number };

/**
 * The configured rate limits (option `rateLimits`), as token buckets in Redis shared by every server, judged by
 * the product's clock so that tests can move time.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Store,
    private readonly limits: RateLimits,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Take one request from each bucket, all in one pipelined round trip; a refusal names the first bucket that
   * was empty. Separate script calls rather than one script, since the buckets' keys may live on different
   * Cluster nodes; so when one bucket refuses, the others of the same request have still been spent.
   */
  async take(...checks: RateLimitCheck[]): Promise<RateLimitResult> {
    const now = this.clock.now();
    const results = await Promise.all(
      checks.map(([limit, subject]) => {
        const { limit: capacity, windowSeconds } = this.limits[limit];
        // A per-address limit counts an IPv6 /64 as one address, and a mapped IPv4 address as itself.
        const counted = limit.endsWith('PerAddress') ? addressSubject(subject) : subject;
        // A digest: addresses and typed usernames of any length or character make keys of one shape.
        const digest = createHash('sha256').update(counted).digest('base64url').slice(0, 22);
        return takeRateLimitScript.run(this.redis, { keys: { bucket: keys.rateLimit(limit, digest) }, args: { nowMs: now, capacity, refillMs: windowSeconds * 1000 } });
      }),
    );
    const refused = results.findIndex(({ taken }) => !taken);
    if (refused >= 0) {
      const limit = checks[refused]![0];
      this.log.warn('ratelimit.refused', { limit });
      return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(results[refused]!.retryAfterMs / 1000)) };
    }
    return { ok: true };
  }
}
