import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../audit/AuditContext.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { UserSeed } from './UserSeed.js';
import { compareAndDeleteScript } from '../store/compareAndDeleteScript.js';
import { compareAndSetScript } from '../store/compareAndSetScript.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { rawClient } from '../store/rawClient.js';
import { hashPassword, verifyPassword } from './passwordHash.js';
import { pickProfile } from './pickProfile.js';
import { UNKNOWN_USER } from './unknownUser.js';
import type { User } from './User.js';
import type { UserDirectory } from './UserDirectory.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long a claimed name may point at no user of that name before its claim counts as abandoned: 40 × 25 ms. */
const CLAIM_POLLS = 40;
const CLAIM_POLL_MS = 25;

/** The user record stored under `id`, as `redis` answers. */
async function readUser(redis: Store, id: string): Promise<User | undefined> {
  const raw = await redis.get(keys.user(id));
  return raw ? (JSON.parse(raw) as User) : undefined;
}

/** Whether `user` is there and `upn` is its name (names compare without case). */
function isNamed(user: User | undefined, upn: string): user is User {
  return user !== undefined && user.userPrincipalName.toLowerCase() === upn.toLowerCase();
}

/**
 * Users and groups, in Redis. An administrator's changes (`create`, `update`, `delete`) are recorded in the audit
 * log here, as done by the caller's `AuditContext`; the config file's import is not anybody's change. The default
 * `UserDirectory`, with every capability.
 */
export class Directory implements UserDirectory {
  constructor(
    private readonly redis: Store,
    private readonly audit: AuditLog,
  ) {}

  async findById(id: string): Promise<User | undefined> {
    return readUser(this.redis, id);
  }

  /**
   * By user principal name, case-insensitively. `alongside` is told the id whose record is read, in the same tick
   * as that read, so that what a caller reads of that user next can ride the same round trip.
   */
  async findByUpn(upn: string, alongside?: (id: string) => void): Promise<User | undefined> {
    if (upn.length === 0 || upn.length > 320) return undefined;
    const id = await this.redis.get(keys.upn(upn));
    // An unknown name reads a record too, one that never exists: the same two reads in the same order as a known
    // name's, so that neither the answer's time nor Redis's work tells the sign-in pages who has an account.
    const readId = id ?? UNKNOWN_USER.id;
    const read = this.findById(readId);
    alongside?.(readId);
    const user = await read;
    // A name held by a rename under way (or one that stopped half-way, claimUpn) is not yet that user's name.
    return id && isNamed(user, upn) ? user : undefined;
  }

  /** By id (a UUID) or user principal name, as the Graph paths allow either. */
  async find(idOrUpn: string): Promise<User | undefined> {
    return UUID.test(idOrUpn) ? this.findById(idOrUpn) : this.findByUpn(idOrUpn);
  }

  async list(): Promise<User[]> {
    const ids = await this.redis.smembers(keys.users());
    const users = await Promise.all(ids.map((id) => this.findById(id)));
    return users.filter((u): u is User => u !== undefined);
  }

  /**
   * Store a user. With `previous` (the record as read before the change), the write is a compare-and-set: it
   * happens only if the stored record is still `previous`, else nothing is written and the result is false, so
   * that the caller reads again and re-applies its change instead of overwriting a concurrent one.
   */
  async save(user: User, previous?: User): Promise<boolean> {
    if (previous) {
      const written = await compareAndSetScript.run(this.redis, { keys: { key: keys.user(user.id) }, args: { expected: JSON.stringify(previous), next: JSON.stringify(user) } });
      if (!written) return false;
      if (previous.userPrincipalName.toLowerCase() !== user.userPrincipalName.toLowerCase()) {
        await this.releaseUpn(previous.userPrincipalName, user.id);
      }
    } else {
      await this.redis.set(keys.user(user.id), JSON.stringify(user));
    }
    // Secondary indexes live in other cluster slots, so they are written after the record. The name's is not: every
    // caller claimed it first (`claimUpn`), and setting it again here, after the compare-and-set, could point it
    // back at the user after a later rename had already given it up.
    await Promise.all([
      this.redis.sadd(keys.users(), user.id),
      ...(previous?.groups ?? [])
        .filter((g) => !user.groups.includes(g))
        .map((g) => this.redis.srem(keys.group(g), user.id)),
      ...user.groups.map((g) => this.redis.sadd(keys.group(g), user.id)),
      ...(user.groups.length ? [this.redis.sadd(keys.groups(), ...user.groups)] : []),
    ]);
    return true;
  }

  /** Store a new user (its name claimed already, `claimUpn`). */
  async create(user: User, by: AuditContext): Promise<void> {
    await this.save(user);
    await this.audit.recordDirectory(auditRecords.userAdded(by, user));
  }

  /** Change a user, if the stored record is still `previous` (else false: read again and re-apply). */
  async update(user: User, previous: User, by: AuditContext): Promise<boolean> {
    if (!(await this.save(user, previous))) return false;
    await this.audit.recordDirectory(auditRecords.userUpdated(by, user));
    return true;
  }

  /** Give up a user principal name, if it still points at this user (not at whoever took it since). */
  async releaseUpn(upn: string, id: string): Promise<void> {
    await compareAndDeleteScript.run(this.redis, { keys: { key: keys.upn(upn) }, args: { expected: id } });
  }

  /**
   * Claim a user principal name for a user id (a new user's, or a user's being renamed), atomically: two claims of
   * the same name cannot both succeed. Returns false when the name is taken: it points at a user of that name, or
   * at one whose creation or rename is under way and gets the name within moments. A claim whose creation or
   * rename stopped half-way (a crashed instance) leaves the name pointing at no user of that name for good; it is
   * taken over once that has lasted a second, instead of keeping the name from everyone.
   */
  async claimUpn(upn: string, id: string): Promise<boolean> {
    const key = keys.upn(upn);
    // The polls ask Redis itself: inside a request (the admin API's) its scope would answer each with the first
    // poll's read (requestScopedClient), and a rename's record landing meanwhile would go unseen and be taken over.
    const live = rawClient(this.redis);
    for (let polls = 0; ; polls++) {
      if ((await this.redis.set(key, id, 'NX')) === 'OK') return true;
      const holder = await live.get(key);
      // Given up in between (a rename that lost its race, a deletion): claim it again.
      if (!holder) continue;
      if (isNamed(await readUser(live, holder), upn)) return false;
      if (polls === CLAIM_POLLS) return compareAndSetScript.run(this.redis, { keys: { key }, args: { expected: holder, next: id } });
      await new Promise((r) => setTimeout(r, CLAIM_POLL_MS));
    }
  }

  /** Forget a user: record, name and group memberships. Sessions, TAP and passkeys are the caller's to end. */
  async delete(user: User, by: AuditContext): Promise<void> {
    await Promise.all([
      this.redis.del(keys.user(user.id)),
      this.redis.srem(keys.users(), user.id),
      ...user.groups.map((g) => this.redis.srem(keys.group(g), user.id)),
    ]);
    // Only if the name still points at this user (a rename may have given it to someone else since).
    await this.releaseUpn(user.userPrincipalName, user.id);
    await this.audit.recordDirectory(auditRecords.userDeleted(by, user));
  }

  /** Create or update a user from a config seed; existing users keep their id, and nothing is wiped. */
  async importSeed(seed: UserSeed): Promise<User> {
    // Another server importing the same config at the same start may win the compare-and-set: read again.
    for (;;) {
      const user = await this.importSeedOnce(seed);
      if (user) return user;
    }
  }

  private async importSeedOnce(seed: UserSeed): Promise<User | undefined> {
    const existing = await this.findByUpn(seed.userPrincipalName);
    const user: User = {
      id: existing?.id ?? randomUUID(),
      userPrincipalName: seed.userPrincipalName,
      displayName: seed.displayName,
      userType: seed.userType,
      ...(seed.guestOrigin ? { guestOrigin: seed.guestOrigin } : {}),
      roles: seed.roles,
      groups: seed.groups,
      createdDateTime: existing?.createdDateTime ?? new Date().toISOString(),
      ...pickProfile(seed),
      // The file's word on `accountEnabled` when it has one; otherwise what the admin API last set.
      ...(seed.accountEnabled !== undefined
        ? { accountEnabled: seed.accountEnabled }
        : existing?.accountEnabled !== undefined ? { accountEnabled: existing.accountEnabled } : {}),
    };
    if (existing?.passwordHash) user.passwordHash = existing.passwordHash;
    // Re-hash only when the seeded password changed, so restarts do not cost an scrypt per user.
    if (seed.password !== undefined && !(existing?.passwordHash && (await verifyPassword(seed.password, existing.passwordHash)))) {
      user.passwordHash = await hashPassword(seed.password);
    }
    // A new user's name is claimed first, as the admin API's creation does: instances importing the same file at
    // the same start would otherwise each store a user of their own under it. The one that loses reads again.
    if (!existing && !(await this.claimUpn(user.userPrincipalName, user.id))) return undefined;
    return (await this.save(user, existing)) ? user : undefined;
  }
}
