import { PROFILE_FIELDS } from '../directory/PROFILE_FIELDS.js';
import type { UserProfile } from '../directory/UserProfile.js';
import type { UserFields } from './UserFields.js';

/** The profile fields a request body sets (null clears a field, so it is left out of a new user). */
export function profileOf(b: UserFields): UserProfile {
  return Object.fromEntries(PROFILE_FIELDS.filter((f) => typeof b[f] === 'string').map((f) => [f, b[f]]));
}
