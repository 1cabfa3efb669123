/** The failures against a TAP from one source network, and what they hold up (README, "Guessing a TAP"). */
export interface TapFailureSource {
  /** The /24 of an IPv4 address or the /64 of an IPv6 one, e.g. `198.51.100.0/24`. */
  network: string;
  failureCount: number;
  lastFailureDateTime: string;
  /** Until when tries from this network are refused unchecked; null when it need not wait (or is locked out). */
  retryAfterDateTime: string | null;
  /** This network is locked out of the TAP (other networks are not). */
  isLockedOut: boolean;
}
