import type { User } from './User.js';

/**
 * A user to import into the directory at start: the stored user's own fields (`userType` defaults to `Member`;
 * for guests, `guestOrigin` `internal` may hold a TAP and `external` may not, default `internal`), and a
 * plain-text password, only for seeding a demo, stored as an scrypt hash.
 */
export type UserSeed = Pick<User, 'userPrincipalName' | 'displayName' | 'userType' | 'guestOrigin' | 'roles' | 'groups' | 'accountEnabled'> & { password?: string };
