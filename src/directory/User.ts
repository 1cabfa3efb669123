import type { Role } from './Role.js';
import type { UserProfile } from './UserProfile.js';

/** A directory user, as stored. */
export interface User extends UserProfile {
  id: string;
  userPrincipalName: string;
  displayName: string;
  userType: 'Member' | 'Guest';
  guestOrigin?: 'internal' | 'external';
  roles: Role[];
  groups: string[];
  /** scrypt hash (`scrypt$N$r$p$salt$hash`), absent for users without a password. */
  passwordHash?: string;
  createdDateTime: string;
  /** `false`: the account is disabled, and every sign-in is refused; absent or `true`: enabled (Graph's `accountEnabled`). */
  accountEnabled?: boolean;
  /** A host directory's extra ID-token and userinfo claims (`DirectoryUser.claims`); never stored by the Redis one. */
  claims?: Record<string, unknown>;
}
