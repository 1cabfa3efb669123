import type { User } from './User.js';
import type { UserProfile } from './UserProfile.js';

/**
 * A user to import into the directory at start: the stored user's own fields (`userType` defaults to `Member`;
 * for guests, `guestOrigin` `internal` may hold a TAP and `external` may not, default `internal`), the profile fields (`mail`, `givenName`, …), and a
 * plain-text password, only for seeding a demo, stored as an scrypt hash.
 */
export type UserSeed = Pick<User, 'userPrincipalName' | 'displayName' | 'userType' | 'guestOrigin' | 'roles' | 'groups' | 'accountEnabled'> & UserProfile & { password?: string };
