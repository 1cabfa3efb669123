import type { User } from '../directory/User.js';
import type { UserProfile } from '../directory/UserProfile.js';

/** The writable fields of a user, as the admin API's bodies and the console's forms give them (a profile field's null clears it). */
export interface UserFields extends Partial<Record<keyof UserProfile, string | null>> {
  userPrincipalName?: string;
  displayName?: string;
  userType?: 'Member' | 'Guest';
  guestOrigin?: 'internal' | 'external';
  roles?: User['roles'];
  groups?: string[];
  passwordProfile?: { password: string };
  accountEnabled?: boolean;
}
