import type { RateLimit } from './RateLimit.js';

/**
 * The coarse rate limits in front of the sign-in steps, the token endpoint and the admin API (Redis, shared by
 * every server). The TAP's own failure count and delays still apply behind them. Per-address limits are high
 * because many users may share one address (a NAT, an office proxy).
 */
export interface RateLimits {
  /** Sign-in form posts (identifier, TAP, password, passkey) naming one account. Default 150 per 600 s. */
  signInPerAccount: RateLimit;
  /** Sign-in form posts from one source address. Default 600 per 60 s. */
  signInPerAddress: RateLimit;
  /** Password posts from one source address: each costs a hash (scrypt), known account or not. Default 30 per 60 s. */
  passwordPerAddress: RateLimit;
  /** Token requests of one client (client_id from Basic auth or the form). Default 1200 per 60 s. */
  tokenPerClient: RateLimit;
  /** Token requests from one source address. Default 1200 per 60 s. */
  tokenPerAddress: RateLimit;
  /** Admin API requests of one authenticated caller (application or user). Default 10000 per 600 s. */
  apiPerCaller: RateLimit;
  /** Admin API requests from one source address, before authentication. Default 20000 per 600 s. */
  apiPerAddress: RateLimit;
}
