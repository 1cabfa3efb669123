/**
 * How guessing a TAP is slowed down and stopped (docs/rules.md, "Guessing"); the deployment's `options` carry
 * these fields, documented there.
 */
export interface TapLockoutOptions {
  tapDelayAfterFailures: number;
  tapLockAfterFailures: number;
  tapLockAfterTotalFailures: number;
  tapFirstDelaySeconds: number;
  tapMaxDelaySeconds: number;
  tapFailureMemorySeconds: number;
}
