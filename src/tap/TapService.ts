import { createHash, randomUUID } from 'node:crypto';
import type { AuditContext } from '../audit/AuditContext.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { Clock } from '../Clock.js';
import { UNKNOWN_USER } from '../directory/unknownUser.js';
import type { User } from '../directory/User.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/msg.js';
import type { Logger } from '../log/Logger.js';
import type { Revoker } from '../revocation/Revoker.js';
import { compareAndSetScript } from '../store/compareAndSetScript.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { approveTapScript } from './approveTapScript.js';
import { deleteTapScript } from './deleteTapScript.js';
import { generatePasscode } from './generatePasscode.js';
import { isInPolicyScope } from './isInPolicyScope.js';
import type { PasscodeHasher } from './PasscodeHasher.js';
import { replaceTapScript } from './replaceTapScript.js';
import { sourceNetwork } from './sourceNetwork.js';
import { fromRedis, toFields, type StoredTap } from './StoredTap.js';
import type { TapApprovalOptions } from './TapApprovalOptions.js';
import type { TapFailureSource } from './TapFailureSource.js';
import type { TapLockoutOptions } from './TapLockoutOptions.js';
import { applyPolicyChanges, defaultTapPolicy, type TapPolicy } from './TapPolicy.js';
import type { TemporaryAccessPassMethod } from './TemporaryAccessPassMethod.js';
import { unlockTapScript } from './unlockTapScript.js';
import { usabilityReason } from './usabilityReason.js';
import { verifyTapScript } from './verifyTapScript.js';
import { replicated } from '../store/replicated.js';

export interface CreateTapInput {
  /** ISO 8601; default now. */
  startDateTime?: string;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
}

/** What a sign-in attempt with a TAP came to. */
export type TapVerification =
  | { ok: true; tapId: string; endMs: number; once: boolean }
  | {
      ok: false;
      /**
       * `blocked`: the passcode was right but policy (or one-time use) blocks it; `throttled`: refused unchecked,
       * this network must wait; `networkLocked`: refused, this network is locked out of the TAP; `locked`:
       * refused, the TAP itself is locked.
       */
      outcome: 'wrong' | 'blocked' | 'throttled' | 'networkLocked' | 'locked';
      /** The precise reason, for the audit log; the person is told less. */
      reason: TapFailureReason;
      /** This refusal is the one that locked the TAP. */
      lockedNow: boolean;
      /** The TAP checked, '' when the user has none. */
      tapId: string;
      /** How long this network must now wait before its next try is checked; 0 when it need not. */
      retryAfterMs: number;
      /** This network's failures against the TAP. */
      failures: number;
      /** Every network's failures against the TAP. */
      totalFailures: number;
    };

/** Why a TAP sign-in was refused (the usability reasons, and what an attempt itself can get wrong). */
export type TapFailureReason =
  | 'WrongPasscode'
  | 'Throttled'
  | 'LockedOut'
  | 'NetworkLockedOut'
  | 'OneTimeUsed'
  | 'DisabledByPolicy'
  | 'Expired'
  | 'NotYetValid'
  | 'PendingApproval'
  | 'NoTap';

const FAILURE_REASONS: Record<string, TapFailureReason> = {
  WRONG: 'WrongPasscode',
  NOTFOUND: 'NoTap',
  EXPIRED: 'Expired',
  NOTYETVALID: 'NotYetValid',
};
const OUTCOMES: Record<string, { outcome: 'throttled' | 'networkLocked' | 'locked'; reason: TapFailureReason }> = {
  THROTTLED: { outcome: 'throttled', reason: 'Throttled' },
  NETLOCKED: { outcome: 'networkLocked', reason: 'NetworkLockedOut' },
  NETLOCKED_NOW: { outcome: 'networkLocked', reason: 'NetworkLockedOut' },
  LOCKED: { outcome: 'locked', reason: 'LockedOut' },
  LOCKED_NOW: { outcome: 'locked', reason: 'LockedOut' },
};

/**
 * What a name without a TAP is checked against: a salt of a real salt's length (so the digest costs the same)
 * and an id no TAP has (so the script takes the same arguments and matches nothing).
 */
const STAND_IN_SALT = 'A'.repeat(22);
const STAND_IN_ID = '00000000-0000-0000-0000-000000000000';

/** How long an expired TAP stays visible (as Expired) before Redis forgets it. */
const RETAIN_AFTER_END_MS = 30 * 24 * 3600 * 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

function parsePolicy(raw: string | null): TapPolicy {
  return raw ? { ...defaultTapPolicy, ...(JSON.parse(raw) as Partial<TapPolicy>) } : { ...defaultTapPolicy };
}

/**
 * Policy, issuance, verification and deletion of Temporary Access Passes. The API, CLI and flow share it, and it
 * records each of its writes in the audit log itself, as done by the caller's `AuditContext`.
 */
export class TapService {
  constructor(
    private readonly redis: Store,
    private readonly hasher: PasscodeHasher,
    private readonly revoker: Revoker,
    private readonly options: TapLockoutOptions & Partial<TapApprovalOptions>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly audit: AuditLog,
  ) {}

  async getPolicy(): Promise<TapPolicy> {
    return parsePolicy(await this.redis.get(keys.tapPolicy()));
  }

  /**
   * Apply a partial change; nothing is stored unless the whole result is valid. Read, merge and write are made
   * atomic by a compare-and-set: when another change landed in between, the merge is done again on top of it,
   * so two administrators changing different fields at once both keep their change.
   */
  async updatePolicy(changes: Record<string, unknown>, by: AuditContext): Promise<TapPolicy> {
    const next = await this.importPolicy(changes);
    await this.audit.recordDirectory(auditRecords.policyUpdated(by));
    return next;
  }

  /**
   * `updatePolicy` without an audit record: the config file's policy (bootstrap/seedConfig) is the deployment's
   * settings rather than anybody's change. Without `overwrite`, a policy already stored is kept as it is.
   */
  async importPolicy(changes: Record<string, unknown>, { overwrite = true }: { overwrite?: boolean } = {}): Promise<TapPolicy> {
    for (let attempt = 0; ; attempt++) {
      const raw = await this.redis.get(keys.tapPolicy());
      if (raw !== null && !overwrite) return parsePolicy(raw);
      const next = applyPolicyChanges(parsePolicy(raw), changes);
      const written = await compareAndSetScript.run(this.redis, { keys: { key: keys.tapPolicy() }, args: { expected: raw ?? '', next: JSON.stringify(next) } });
      if (written) return next;
      if (attempt >= 50) throw new Error('The TAP policy changed too often to apply this change; try again.');
    }
  }

  async resetPolicy(by: AuditContext): Promise<TapPolicy> {
    await this.redis.del(keys.tapPolicy());
    await this.audit.recordDirectory(auditRecords.policyReset(by));
    return { ...defaultTapPolicy };
  }

  /**
   * Read `userId`'s TAP and the policy now, beside the user's own record, for a step that checks them next: the
   * request's scope (RequestScope) keeps the answers, so the check then costs no round trip of its own.
   */
  async readAhead(userId: string): Promise<void> {
    await Promise.all([this.getStored({ id: userId }), this.getPolicy()]);
  }

  async getStored(user: Pick<User, 'id'>): Promise<StoredTap | undefined> {
    return fromRedis(await this.redis.hgetall(keys.tap(user.id)));
  }

  /** The user's TAP in Graph's shape, passcode withheld; undefined when there is none. */
  async get(user: User): Promise<TemporaryAccessPassMethod | undefined> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    return tap && this.toMethod(tap, policy, user, null, await this.redis.hgetall(keys.tapFailures(user.id, tap.id)));
  }

  /** A TAP the user could sign in with right now, if any (decides whether the flow asks for one). */
  async usableTap(user: User): Promise<StoredTap | undefined> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    return tap && usabilityReason(tap, policy, user, this.clock.now()) === 'EnabledByPolicy' ? tap : undefined;
  }

  /**
   * The TAP the sign-in page asks for: a usable one, or one only waiting for its approval, so that its holder,
   * once they type the right passcode, is told it is not approved yet rather than offered another method.
   */
  async signInTap(user: User): Promise<StoredTap | undefined> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    const reason = tap && usabilityReason(tap, policy, user, this.clock.now());
    return reason === 'EnabledByPolicy' || reason === 'PendingApproval' ? tap : undefined;
  }

  /**
   * Whether a TAP issued now for `user` by `by` would wait for a second administrator's approval: a user who
   * holds any role, issued by an administrator or an application. The server's own shell (the CLI, the first
   * administrator's bootstrap) is exempt: whoever has it controls the deployment already, and break-glass must work alone.
   */
  needsApproval(user: User, by: AuditContext): boolean {
    return (this.options.tapApprovalForAdmins ?? true) && user.roles.length > 0 && by.actor.type !== 'system';
  }

  /**
   * A second administrator approves a pending TAP (the two-person rule): never the one who issued it. The caller
   * has checked the approver's role; this checks the rest in one step with the write, and records it.
   */
  async approve(user: User, tapId: string, by: AuditContext): Promise<TemporaryAccessPassMethod> {
    const done = await approveTapScript.run(this.redis, { keys: { tap: keys.tap(user.id) }, args: { tapId, approver: by.actor.id } });
    if (done === 'NOTFOUND') throw new NotFoundError('The user has no Temporary Access Pass with that id.');
    if (done === 'SELF') throw new ForbiddenError('You issued this Temporary Access Pass, so you cannot approve it: a second administrator must.', msg('admin.tap.ownRequest'));
    if (done === 'NOTPENDING') throw new BadRequestError('This Temporary Access Pass is not waiting for approval.', msg('admin.refusal.notPending'));
    // An approval a failover could undo would leave the second administrator's word unsaid: as durable as a creation.
    this.log.info('tap.approved', { userId: user.id, tapId });
    await this.audit.recordDirectory(auditRecords.adminApprovedTap(by.actor, user, tapId, by.ip));
    await replicated(this.redis, keys.tap(user.id), keys.auditDirectory());
    const tap = await this.get(user);
    if (!tap || tap.id !== tapId) throw new NotFoundError('The user has no Temporary Access Pass with that id.');
    return tap;
  }

  /**
   * The TAP a sign-in under way began with, while it can still carry that sign-in: still the user's (not deleted
   * or replaced), started and not ended, not locked, and allowed by the policy. A one-time TAP qualifies
   * although this very sign-in used it up.
   */
  async carrying(user: User, tapId: string): Promise<StoredTap | undefined> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    if (!tap || tap.id !== tapId) return undefined;
    return usabilityReason({ ...tap, used: 0 }, policy, user, this.clock.now()) === 'EnabledByPolicy' ? tap : undefined;
  }

  /** Issue a TAP, replacing the user's previous one; the result is the only place the passcode appears. */
  async create(user: User, input: CreateTapInput, by: AuditContext): Promise<TemporaryAccessPassMethod> {
    if (user.userType === 'Guest' && user.guestOrigin === 'external') {
      throw new BadRequestError('Temporary Access Pass cannot be added to an external guest user.', msg('admin.issue.error.externalGuest'));
    }
    const policy = await this.getPolicy();
    const now = this.clock.now();
    const lifetime = input.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
    if (
      !Number.isInteger(lifetime) ||
      lifetime < policy.minimumLifetimeInMinutes ||
      lifetime > policy.maximumLifetimeInMinutes
    ) {
      throw new BadRequestError(
        `Invalid LifetimeInMinutes specified. The valid range between ${policy.minimumLifetimeInMinutes} and ${policy.maximumLifetimeInMinutes}.`,
        msg('admin.issue.error.lifetime', { min: policy.minimumLifetimeInMinutes, max: policy.maximumLifetimeInMinutes }),
      );
    }
    if (input.isUsableOnce === false && policy.isUsableOnce) {
      throw new BadRequestError('isUsableOnce cannot be false: the policy requires every Temporary Access Pass to be one-time.', msg('admin.issue.onceRequired'));
    }
    let start = now;
    if (input.startDateTime !== undefined) {
      start = ISO.test(input.startDateTime) ? Date.parse(input.startDateTime) : Number.NaN;
      if (Number.isNaN(start)) throw new BadRequestError('startDateTime must be an ISO 8601 date and time with a time zone.', msg('admin.issue.error.start'));
    }
    const passcode = generatePasscode(policy.defaultLength);
    const salt = this.hasher.newSalt();
    const tap: StoredTap = {
      id: randomUUID(),
      hash: this.hasher.hash(passcode, salt),
      salt,
      created: now,
      start,
      end: start + lifetime * 60_000,
      lifetime,
      once: input.isUsableOnce ?? policy.isUsableOnce,
      used: 0,
      locked: false,
      lastUsed: 0,
      pending: this.needsApproval(user, by),
      requestedBy: by.actor.id,
    };
    const previous = await replaceTapScript.run(this.redis, { keys: { tap: keys.tap(user.id) }, args: { expireAtMs: tap.end + RETAIN_AFTER_END_MS, fields: toFields(tap) } });
    if (previous) await this.forget(user, previous, 'replaced');
    // Swept at its end (events/TapExpirySweep), so that what it signed in ends then with a logout token.
    await this.redis.multi().hset(keys.tapEndJobs(), tap.id, user.id).zadd(keys.tapEndQueue(), tap.end, tap.id).exec();
    this.log.info('tap.created', { userId: user.id, tapId: tap.id, lifetimeInMinutes: lifetime, isUsableOnce: tap.once, pendingApproval: tap.pending });
    await this.audit.recordDirectory(auditRecords.adminRegisteredTap(by.actor, user, tap.id, by.ip));
    // After the record: an acknowledged TAP keeps its audit record, and its end its job, through a failover too.
    await replicated(this.redis, keys.tap(user.id), keys.tapEndQueue(), keys.auditDirectory());
    return this.toMethod(tap, policy, user, passcode);
  }

  /** Delete the user's TAP (a given one, or whichever there is); revokes what it granted if still usable. */
  async delete(user: User, tapId: string | undefined, by: AuditContext): Promise<void> {
    const previous = await deleteTapScript.run(this.redis, { keys: { tap: keys.tap(user.id) }, args: { tapId: tapId ?? '' } });
    if (!previous) throw new NotFoundError('The user has no Temporary Access Pass with that id.');
    await this.forget(user, previous, 'deleted');
    this.log.info('tap.deleted', { userId: user.id, tapId: previous.id });
    await this.audit.recordDirectory(auditRecords.tapDeleted(by, user, previous.id));
    await replicated(this.redis, keys.tap(user.id), keys.auditDirectory());
  }

  /**
   * Clear every failure counted against the TAP and its lock, keeping its passcode: an administrator's judgement
   * that the person now trying is the user. Returns the TAP as it now is.
   */
  async unlock(user: User, tapId: string, by: AuditContext): Promise<TemporaryAccessPassMethod> {
    const done = await unlockTapScript.run(this.redis, { keys: { tap: keys.tap(user.id), failures: keys.tapFailures(user.id, tapId) }, args: { tapId } });
    const tap = done ? await this.get(user) : undefined;
    if (!tap || tap.id !== tapId) throw new NotFoundError('The user has no Temporary Access Pass with that id.');
    this.log.info('tap.unlocked', { userId: user.id, tapId });
    await this.audit.recordDirectory(auditRecords.adminUnlockedTap(by.actor, user, tapId, by.ip));
    return tap;
  }

  /** A TAP replaced or deleted: its failures go with it, and what it granted is revoked if it was usable. */
  private async forget(user: User, tap: StoredTap, why: string): Promise<void> {
    await this.redis.del(keys.tapFailures(user.id, tap.id));
    await this.redis.multi().zrem(keys.tapEndQueue(), tap.id).hdel(keys.tapEndJobs(), tap.id).exec();
    await this.revokeIfUsable(user, tap, why);
  }

  private async revokeIfUsable(user: User, tap: StoredTap, why: string): Promise<void> {
    // Anything obtained with a TAP lives until the TAP's end at most, so only an expired TAP is safe to drop
    // without revoking. A used one-time, locked or policy-blocked TAP may still have live sessions.
    if (this.clock.now() < tap.end) {
      const revoked = await this.revoker.revokeTap(user.id, tap.id);
      this.log.info('tap.revoked', { userId: user.id, tapId: tap.id, why, revoked });
    }
  }

  /**
   * Check a passcode typed for `username` (`user` when the name is known) from address `ip`. Verification,
   * one-time consumption and the failure count happen in one Redis script, so two servers racing on one TAP
   * give exactly one success and no failure goes uncounted. A name without a TAP takes the same steps against
   * stand-in keys: the same reads, the same digest, the same script, so the answer takes as long.
   */
  async verify(user: User | undefined, username: string, passcode: string, ip: string): Promise<TapVerification> {
    const standIn = createHash('sha256').update(username.trim().toLowerCase()).digest('base64url');
    // An unknown name reads the TAP of the user it is looked up as (UNKNOWN_USER), as the step's read-ahead does
    // (TapMethod.readAhead, beside the user's record): a known user's TAP read ahead is not read again, and so
    // neither is an unknown name's. Its script below runs on its own stand-in keys.
    const [stored, policy] = await Promise.all([this.redis.hgetall(keys.tap((user ?? UNKNOWN_USER).id)), this.getPolicy()]);
    const tap = user ? fromRedis(stored) : undefined;
    const o = this.options;
    const disabled = !user || !isInPolicyScope(policy, user) || (policy.isUsableOnce && tap?.once === false);
    // Waiting for approval: the right passcode is refused like a blocked one (no failure counted, nothing used up).
    const blocked = disabled || tap?.pending === true;
    const candidate = this.hasher.hash(passcode.slice(0, 256), tap?.salt ?? STAND_IN_SALT);
    const network = sourceNetwork(ip);
    const { outcome, tapId, failures, retryAfterMs, endMs, once, totalFailures } = await verifyTapScript.run(this.redis, {
      keys: {
        tap: user && tap ? keys.tap(user.id) : keys.standInTap(standIn),
        failures: user && tap ? keys.tapFailures(user.id, tap.id) : keys.standInFailures(standIn),
      },
      args: {
        nowMs: this.clock.now(),
        candidate,
        tapId: tap?.id ?? STAND_IN_ID,
        network,
        delayAfterFailures: o.tapDelayAfterFailures,
        networkLockAfterFailures: o.tapLockAfterFailures,
        tapLockAfterFailures: o.tapLockAfterTotalFailures,
        firstDelayMs: o.tapFirstDelaySeconds * 1000,
        maxDelayMs: o.tapMaxDelaySeconds * 1000,
        // A stand-in only has to answer like a TAP for as long as a network's wait lasts.
        failureMemoryMs: (tap ? o.tapFailureMemorySeconds : o.tapMaxDelaySeconds) * 1000,
        blocked,
      },
    });
    this.log.info('tap.signin', { userId: user?.id, tapId: tapId || undefined, outcome, network, failures, totalFailures });
    if (outcome === 'OK') {
      // A one-time TAP just consumed must not come back with a failover.
      if (once && user) await replicated(this.redis, keys.tap(user.id));
      return { ok: true, tapId, endMs, once };
    }
    const why = {
      tapId,
      // Only a real TAP is locked out in the audit log; a stand-in has nothing to lock.
      lockedNow: outcome === 'LOCKED_NOW' && tapId !== '',
      failures,
      totalFailures,
      retryAfterMs,
    };
    if (outcome === 'BLOCKED') return { ok: false, outcome: 'blocked', reason: disabled ? 'DisabledByPolicy' : blocked ? 'PendingApproval' : 'OneTimeUsed', ...why };
    const refused = OUTCOMES[outcome];
    if (refused) return { ok: false, ...refused, ...why };
    return { ok: false, outcome: 'wrong', reason: FAILURE_REASONS[outcome] ?? 'WrongPasscode', ...why };
  }

  /** Failures counted against the user's TAP from every network (for operators and tests); 0 without a TAP. */
  async failureCount(user: User): Promise<number> {
    const tap = await this.getStored(user);
    return tap ? Number((await this.redis.hget(keys.tapFailures(user.id, tap.id), 'total')) ?? 0) : 0;
  }

  /** The wait a network is under once it has `failures` failures (from the threshold on); as the script has it. */
  private delayMs(failures: number): number {
    const o = this.options;
    return Math.min(o.tapFirstDelaySeconds * 1000 * 2 ** (failures - o.tapDelayAfterFailures), o.tapMaxDelaySeconds * 1000);
  }

  /** The per-network failures of a TAP's failure hash, most first. */
  private failureSources(failures: Record<string, string>, now: number): TapFailureSource[] {
    const o = this.options;
    const sources: TapFailureSource[] = [];
    for (const [field, value] of Object.entries(failures)) {
      if (!field.startsWith('c:')) continue;
      const network = field.slice(2);
      const count = Number(value);
      const last = Number(failures[`t:${network}`] ?? 0);
      const isLockedOut = count >= o.tapLockAfterFailures;
      const readyAt = !isLockedOut && count >= o.tapDelayAfterFailures ? last + this.delayMs(count) : 0;
      sources.push({
        network,
        failureCount: count,
        lastFailureDateTime: new Date(last).toISOString(),
        retryAfterDateTime: readyAt > now ? new Date(readyAt).toISOString() : null,
        isLockedOut,
      });
    }
    return sources.sort((x, y) => y.failureCount - x.failureCount || x.network.localeCompare(y.network));
  }

  private toMethod(tap: StoredTap, policy: TapPolicy, user: User, passcode: string | null, failures: Record<string, string> = {}): TemporaryAccessPassMethod {
    const now = this.clock.now();
    const reason = usabilityReason(tap, policy, user, now);
    return {
      id: tap.id,
      temporaryAccessPass: passcode,
      createdDateTime: new Date(tap.created).toISOString(),
      startDateTime: new Date(tap.start).toISOString(),
      lifetimeInMinutes: tap.lifetime,
      isUsableOnce: tap.once,
      isUsable: reason === 'EnabledByPolicy',
      methodUsabilityReason: reason,
      'oidcTap.failureCount': Number(failures.total ?? 0),
      'oidcTap.isLockedOut': tap.locked,
      'oidcTap.failureSources': this.failureSources(failures, now),
    };
  }
}
