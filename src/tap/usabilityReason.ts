import type { User } from '../directory/User.js';
import { isInPolicyScope } from './isInPolicyScope.js';
import type { StoredTap } from './StoredTap.js';
import type { TapPolicy } from './TapPolicy.js';

export type MethodUsabilityReason =
  | 'EnabledByPolicy'
  | 'DisabledByPolicy'
  | 'LockedOut'
  | 'OneTimeUsed'
  | 'Expired'
  | 'NotYetValid'
  /** oidc-tap's own reason, not Graph's: a TAP of an administrator waiting for a second administrator's approval. */
  | 'PendingApproval';

/** Why a TAP can or cannot be used now; when several reasons apply the first in the order of docs/rules.md ("One TAP") wins. */
export function usabilityReason(tap: StoredTap, policy: TapPolicy, user: User, now: number): MethodUsabilityReason {
  if (!isInPolicyScope(policy, user) || (policy.isUsableOnce && !tap.once)) return 'DisabledByPolicy';
  if (tap.locked) return 'LockedOut';
  if (tap.once && tap.used) return 'OneTimeUsed';
  if (now >= tap.end) return 'Expired';
  if (tap.pending) return 'PendingApproval';
  if (now < tap.start) return 'NotYetValid';
  return 'EnabledByPolicy';
}
