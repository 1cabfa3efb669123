import { PROFILE_FIELDS } from './PROFILE_FIELDS.js';
import type { UserProfile } from './UserProfile.js';

/** The profile fields an object carries as non-empty text, and no others (a seed, an LDAP entry, a host's user, an admin API body). */
export function pickProfile(from: Partial<Record<keyof UserProfile, unknown>>): UserProfile {
  const out: UserProfile = {};
  for (const f of PROFILE_FIELDS) {
    const v = from[f];
    if (typeof v === 'string' && v.length > 0) out[f] = v;
  }
  return out;
}
