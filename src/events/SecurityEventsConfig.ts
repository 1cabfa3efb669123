/**
 * Where Security Event Tokens (RFC 8417) are pushed (RFC 8935) when a TAP is issued, used, locked out or deleted
 * and when a passkey is added or removed. Delivery is in the background, retried with exponential backoff.
 */
export interface SecurityEventsConfig {
  /** The receiver's push endpoint; https, or http only for localhost. */
  url: string;
  /** The `aud` of every token. Default: the origin of `url`. */
  audience: string;
  /** Attempts per token before it is dropped (and logged as such). Default 12. */
  maxAttempts: number;
  /** Wait before the second attempt, milliseconds; it doubles with each attempt, up to one hour. Default 2000. */
  backoffMs: number;
  /** Time limit of one attempt, milliseconds. Default 5000. */
  timeoutMs: number;
}
