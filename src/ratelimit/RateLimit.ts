import type { RateLimits } from './RateLimits.js';

/** One rate limit: a bucket of `limit` requests that refills evenly over `windowSeconds` (a token bucket; RateLimitsSchema). */
export type RateLimit = RateLimits[keyof RateLimits];
