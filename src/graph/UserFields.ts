import type { User } from '../directory/User.js';

/** The writable fields of a user, as the admin API's bodies and the console's forms give them. */
export interface UserFields {
  userPrincipalName?: string;
  displayName?: string;
  userType?: 'Member' | 'Guest';
  guestOrigin?: 'internal' | 'external';
  roles?: User['roles'];
  groups?: string[];
  passwordProfile?: { password: string };
  accountEnabled?: boolean;
}
