import type { TapFailureSource } from './TapFailureSource.js';
import type { MethodUsabilityReason } from './usabilityReason.js';

/** A TAP in the shape of Microsoft Graph's temporaryAccessPassAuthenticationMethod. */
export interface TemporaryAccessPassMethod {
  id: string;
  /** The passcode: only in the response that created it, `null` ever after. */
  temporaryAccessPass: string | null;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: MethodUsabilityReason;
  /**
   * oidc-tap extension (not in Graph): failures counted against this TAP, from every network, since it was
   * issued, last signed in with or unlocked.
   */
  'oidcTap.failureCount': number;
  /** oidc-tap extension: the TAP itself is locked, for every network, by its failures in total. */
  'oidcTap.isLockedOut': boolean;
  /** oidc-tap extension: the networks the failures came from, most failures first. */
  'oidcTap.failureSources': TapFailureSource[];
}
