import type { Role } from './Role.js';

/** A user to import into the directory at start. */
export interface UserSeed {
  userPrincipalName: string;
  displayName: string;
  /** Default `Member`. */
  userType: 'Member' | 'Guest';
  /** For guests: `internal` may hold a TAP, `external` may not. Default `internal`. */
  guestOrigin?: 'internal' | 'external';
  roles: Role[];
  groups: string[];
  /** Plain-text password, only for seeding a demo; stored as an scrypt hash. */
  password?: string;
}
