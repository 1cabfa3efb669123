import { createHash } from 'node:crypto';
import type { Clock } from '../Clock.js';
import type { RateLimits } from '../config/AppConfig.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';

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
   * Take one request from each bucket in turn; the first empty one refuses and the later ones are left alone.
   * Separate steps rather than one script, since the buckets' keys may live on different Cluster nodes.
   */
  async take(...checks: RateLimitCheck[]): Promise<RateLimitResult> {
    for (const [limit, subject] of checks) {
      const { limit: capacity, windowSeconds } = this.limits[limit];
      // A digest: addresses and typed usernames of any length or character make keys of one shape.
      const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 22);
      const [taken, waitMs] = await this.redis.takeRateLimit(keys.rateLimit(limit, digest), this.clock.now(), capacity, windowSeconds * 1000);
      if (taken !== 1) {
        this.log.warn('ratelimit.refused', { limit });
        return { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
    }
    return { ok: true };
  }
}
