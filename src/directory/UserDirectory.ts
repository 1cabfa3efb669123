import type { AuditContext } from '../audit/AuditContext.js';
import type { User } from './User.js';
import type { UserProfile } from './UserProfile.js';

/**
 * Where users live: oidc-tap's own Redis directory (the default, `Directory`), a host application's user store, or
 * LDAP (`LdapDirectory`). TAPs, passkeys, sessions and counters stay in Redis whatever the directory; the directory
 * only says who a user is. `findByUpn` and `findById` are required; the rest are capabilities the admin API and the
 * console use when present, and answer with Graph's error when absent (a read-only directory refuses `POST /users`).
 *
 * A host's directory returns `DirectoryUser`s; the plugin fills in the defaults (see `toUser`).
 */
export interface UserDirectory {
  /** By user principal name, case-insensitively; undefined when there is none. */
  findByUpn(upn: string): Promise<DirectoryUser | undefined>;
  /** By the directory's own id (which becomes the ID token's `sub`); undefined when there is none. */
  findById(id: string): Promise<DirectoryUser | undefined>;
  /** Capability: every user (the admin API pages and filters them). */
  list?(): Promise<DirectoryUser[]>;
  /** Capability: add a user. */
  create?(user: User, by: AuditContext): Promise<void>;
  /** Capability: change a user; false when `previous` is no longer what is stored (the caller retries). */
  update?(user: User, previous: User, by: AuditContext): Promise<boolean>;
  /** Capability: remove a user. */
  delete?(user: User, by: AuditContext): Promise<void>;
  /** Release what the directory holds open (an LDAP connection pool), when the plugin closes. */
  close?(): Promise<void>;
}

/** A user as a directory gives it (the shape a host implements); the profile fields (`mail`, `givenName`, …) are optional. */
export interface DirectoryUser extends UserProfile {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** Default `Member`. */
  userType?: 'Member' | 'Guest';
  /** For guests; default `internal`. */
  guestOrigin?: 'internal' | 'external';
  /** Administrative roles (docs/rules.md, "Roles"); default none. */
  roles?: User['roles'];
  /** Group names (the TAP policy's include and exclude targets); default none. */
  groups?: string[];
  /** More ID-token and userinfo claims, by name (e.g. `email`, `given_name`); they never replace `sub`. */
  claims?: Record<string, unknown>;
  /** Only the Redis directory's: an scrypt hash for the password step. */
  passwordHash?: string;
  createdDateTime?: string;
  /** `false` refuses every sign-in of the user (and ends their sessions at the next use); default enabled. */
  accountEnabled?: boolean;
}
