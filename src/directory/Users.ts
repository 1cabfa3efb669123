import type { AuditContext } from '../audit/AuditContext.js';
import { ConfigError } from '../errors.js';
import { Directory } from './Directory.js';
import { toUser } from './toUser.js';
import type { User } from './User.js';
import type { UserDirectory } from './UserDirectory.js';
import type { UserSeed } from './UserSeed.js';

/** What a directory may be able to do beyond its two lookups (`UserDirectory`'s optional methods). */
export type DirectoryCapability = 'list' | 'create' | 'update' | 'delete';

/**
 * The directory as everything else reads it, whichever it is (the Redis one by default, or a host's): every user
 * comes back through `toUser`, so the flow, the methods, the admin API and the account page keep one `User` shape,
 * and a capability the directory lacks is asked about (`can`) before it is used.
 */
export class Users {
  /** The built-in Redis directory, when it is the one in use: it alone imports the config file's users. */
  private readonly redis: Directory | undefined;

  constructor(readonly directory: UserDirectory) {
    this.redis = directory instanceof Directory ? directory : undefined;
  }

  /** Release what the directory holds open (an LDAP pool); nothing for the Redis one. */
  async close(): Promise<void> {
    await this.directory.close?.();
  }

  async findById(id: string): Promise<User | undefined> {
    const found = await this.directory.findById(id);
    return found && toUser(found);
  }

  /**
   * By user principal name, case-insensitively. `alongside`: the Redis directory tells it the id it reads, for
   * reads of that user to ride the same round trip (Directory.findByUpn); a host's directory does not.
   */
  async findByUpn(upn: string, alongside?: (id: string) => void): Promise<User | undefined> {
    const found = await (this.redis ? this.redis.findByUpn(upn, alongside) : this.directory.findByUpn(upn));
    return found && toUser(found);
  }

  /** By id or user principal name, as the Graph paths allow either. */
  async find(idOrUpn: string): Promise<User | undefined> {
    if (this.redis) return this.redis.find(idOrUpn);
    // A host's ids need not be UUIDs: the id first, then, for what can be one, the name.
    return (await this.findById(idOrUpn)) ?? (idOrUpn.includes('@') ? this.findByUpn(idOrUpn) : undefined);
  }

  can(capability: DirectoryCapability): boolean {
    return typeof this.directory[capability] === 'function';
  }

  /** Every user; only when the directory `can('list')`. */
  async list(): Promise<User[]> {
    return (await this.capable('list').call(this.directory)).map(toUser);
  }

  /** Only when the directory `can('create')`, and the name was claimed (`claimUpn`). */
  async create(user: User, by: AuditContext): Promise<void> {
    await this.capable('create').call(this.directory, user, by);
  }

  /** Only when the directory `can('update')`; false when `previous` is no longer what is stored. */
  async update(user: User, previous: User, by: AuditContext): Promise<boolean> {
    return this.capable('update').call(this.directory, user, previous, by);
  }

  /** Only when the directory `can('delete')`. */
  async delete(user: User, by: AuditContext): Promise<void> {
    await this.capable('delete').call(this.directory, user, by);
  }

  /**
   * Claim a name for a new or renamed user: atomically in the Redis directory; a host's directory is only asked
   * whether the name is free (its own `create` and `update` keep names unique).
   */
  async claimUpn(upn: string, id: string): Promise<boolean> {
    if (this.redis) return this.redis.claimUpn(upn, id);
    const holder = await this.findByUpn(upn);
    return !holder || holder.id === id;
  }

  /** Give back a name claimed for a change that did not happen. */
  async releaseUpn(upn: string, id: string): Promise<void> {
    await this.redis?.releaseUpn(upn, id);
  }

  /** Whether the config file's `users` can be imported: only into the Redis directory. */
  get canImport(): boolean {
    return this.redis !== undefined;
  }

  /** Create or update a user from a config seed (the Redis directory only). */
  async importSeed(seed: UserSeed): Promise<User> {
    if (!this.redis) throw new ConfigError('users', "the config file's users can be imported only into the built-in Redis directory, not into the host's directory: remove them");
    return this.redis.importSeed(seed);
  }

  private capable<C extends DirectoryCapability>(capability: C): NonNullable<UserDirectory[C]> {
    const method = this.directory[capability];
    // The admin API asks `can` first and answers with Graph's error; reaching here without it is a bug.
    if (!method) throw new Error(`The directory cannot ${capability}.`);
    return method as NonNullable<UserDirectory[C]>;
  }
}
