import type { User } from '../directory/User.js';
import { ALL_USERS } from './ALL_USERS.js';
import type { PolicyTarget, TapPolicy } from './TapPolicy.js';

function matches(t: PolicyTarget, user: User): boolean {
  if (t.targetType === 'group') return t.id === ALL_USERS || user.groups.includes(t.id);
  return t.id === user.id || t.id.toLowerCase() === user.userPrincipalName.toLowerCase();
}

/** Whether the policy lets this user sign in with a TAP at all (enabled, included, not excluded). */
export function isInPolicyScope(policy: TapPolicy, user: User): boolean {
  if (policy.state !== 'enabled') return false;
  if (policy.excludeTargets.some((t) => matches(t, user))) return false;
  return policy.includeTargets.some((t) => matches(t, user));
}
