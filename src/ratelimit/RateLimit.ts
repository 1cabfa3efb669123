/** One rate limit: a bucket of `limit` requests that refills evenly over `windowSeconds` (a token bucket). */
export interface RateLimit {
  /** Requests allowed in a burst, and in every window. */
  limit: number;
  /** Time for an empty bucket to fill again, seconds. */
  windowSeconds: number;
}
