import type { AuditContext } from '../audit/AuditContext.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { ForbiddenError } from '../errors.js';
import type { Store } from '../store/connectRedis.js';
import { Directory } from './Directory.js';
import type { User } from './User.js';
import type { UserSeed } from './UserSeed.js';
import type { DirectoryUser, UserDirectory } from './UserDirectory.js';

const READ_ONLY = 'Users are read from the directory (LDAP) and changed there, not through this API.';

/** A directory user with the plugin's defaults filled in. */
function toUser(u: DirectoryUser): User {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    userType: u.userType ?? 'Member',
    ...(u.userType === 'Guest' ? { guestOrigin: u.guestOrigin ?? 'internal' } : {}),
    roles: u.roles ?? [],
    groups: u.groups ?? [],
    createdDateTime: u.createdDateTime ?? '1970-01-01T00:00:00.000Z',
  };
}

/**
 * The product's `Directory`, its users read from another `UserDirectory` (LDAP): lookups go there, every write is
 * refused (403) since users are managed where they live. The services keep asking a `Directory`.
 */
export class ReadOnlyDirectory extends Directory {
  constructor(
    redis: Store,
    audit: AuditLog,
    private readonly source: UserDirectory,
  ) {
    super(redis, audit);
  }

  override async findById(id: string): Promise<User | undefined> {
    const u = await this.source.findById(id);
    return u && toUser(u);
  }

  override async findByUpn(upn: string): Promise<User | undefined> {
    const u = await this.source.findByUpn(upn);
    return u && toUser(u);
  }

  override async list(): Promise<User[]> {
    return this.source.list ? (await this.source.list()).map(toUser) : [];
  }

  override async close(): Promise<void> {
    await (this.source as { close?: () => Promise<void> }).close?.();
  }

  override save(): Promise<boolean> {
    throw new ForbiddenError(READ_ONLY);
  }

  override claimUpn(): Promise<boolean> {
    throw new ForbiddenError(READ_ONLY);
  }

  override create(_user: User, _by: AuditContext): Promise<void> {
    throw new ForbiddenError(READ_ONLY);
  }

  override update(_user: User, _previous: User, _by: AuditContext): Promise<boolean> {
    throw new ForbiddenError(READ_ONLY);
  }

  override delete(_user: User, _by: AuditContext): Promise<void> {
    throw new ForbiddenError(READ_ONLY);
  }

  override importSeed(_seed: UserSeed): Promise<User> {
    throw new ForbiddenError(READ_ONLY);
  }
}
