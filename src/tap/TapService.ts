import { randomUUID } from 'node:crypto';
import type { Clock } from '../Clock.js';
import type { Options } from '../config/AppConfig.js';
import type { User } from '../directory/User.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import type { Revoker } from '../revocation/Revoker.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { generatePasscode } from './generatePasscode.js';
import { isInPolicyScope } from './isInPolicyScope.js';
import type { PasscodeHasher } from './PasscodeHasher.js';
import { fromRedis, toFields, type StoredTap } from './StoredTap.js';
import { applyPolicyChanges, defaultTapPolicy, type TapPolicy } from './TapPolicy.js';
import { usabilityReason, type MethodUsabilityReason } from './usabilityReason.js';

/** A TAP in the shape of Microsoft Graph's temporaryAccessPassAuthenticationMethod. */
export interface TapMethod {
  id: string;
  /** The passcode: only in the response that created it, `null` ever after. */
  temporaryAccessPass: string | null;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: MethodUsabilityReason;
}

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
      /** `blocked`: the passcode was right but policy (or one-time use) blocks it. */
      outcome: 'wrong' | 'blocked' | 'throttled' | 'locked';
      /** The precise reason, for the audit log; the person is told less. */
      reason: TapFailureReason;
      /** This refusal is the one that locked the TAP. */
      lockedNow: boolean;
      /** The TAP checked, '' when the user has none. */
      tapId: string;
      retryAfterMs: number;
      failures: number;
    };

/** Why a TAP sign-in was refused (the usability reasons, and what an attempt itself can get wrong). */
export type TapFailureReason =
  | 'WrongPasscode'
  | 'Throttled'
  | 'LockedOut'
  | 'OneTimeUsed'
  | 'DisabledByPolicy'
  | 'Expired'
  | 'NotYetValid'
  | 'NoTap';

const FAILURE_REASONS: Record<string, TapFailureReason> = {
  WRONG: 'WrongPasscode',
  THROTTLED: 'Throttled',
  LOCKED: 'LockedOut',
  LOCKED_NOW: 'LockedOut',
  NOTFOUND: 'NoTap',
  EXPIRED: 'Expired',
  NOTYETVALID: 'NotYetValid',
};

/** How long an expired TAP stays visible (as Expired) before Redis forgets it. */
const RETAIN_AFTER_END_MS = 30 * 24 * 3600 * 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

function parsePolicy(raw: string | null): TapPolicy {
  return raw ? { ...defaultTapPolicy, ...(JSON.parse(raw) as Partial<TapPolicy>) } : { ...defaultTapPolicy };
}

/** Policy, issuance, verification and deletion of Temporary Access Passes. The API, CLI and flow share it. */
export class TapService {
  constructor(
    private readonly redis: Store,
    private readonly hasher: PasscodeHasher,
    private readonly revoker: Revoker,
    private readonly options: Options,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async getPolicy(): Promise<TapPolicy> {
    return parsePolicy(await this.redis.get(keys.tapPolicy()));
  }

  /**
   * Apply a partial change; nothing is stored unless the whole result is valid. Read, merge and write are made
   * atomic by a compare-and-set: when another change landed in between, the merge is done again on top of it,
   * so two administrators changing different fields at once both keep their change.
   */
  async updatePolicy(changes: Record<string, unknown>): Promise<TapPolicy> {
    for (let attempt = 0; ; attempt++) {
      const raw = await this.redis.get(keys.tapPolicy());
      const next = applyPolicyChanges(parsePolicy(raw), changes);
      const written = await this.redis.compareAndSet(keys.tapPolicy(), raw ?? '', JSON.stringify(next));
      if (written === 1) return next;
      if (attempt >= 50) throw new Error('The TAP policy changed too often to apply this change; try again.');
    }
  }

  async resetPolicy(): Promise<TapPolicy> {
    await this.redis.del(keys.tapPolicy());
    return { ...defaultTapPolicy };
  }

  async getStored(user: User): Promise<StoredTap | undefined> {
    return fromRedis(await this.redis.hgetall(keys.tap(user.id)));
  }

  /** The user's TAP in Graph's shape, passcode withheld; undefined when there is none. */
  async get(user: User): Promise<TapMethod | undefined> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    return tap && this.toMethod(tap, policy, user, null);
  }

  /** A TAP the user could sign in with right now, if any (decides whether the flow asks for one). */
  async usableTap(user: User): Promise<StoredTap | undefined> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    return tap && usabilityReason(tap, policy, user, this.clock.now()) === 'EnabledByPolicy' ? tap : undefined;
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
  async create(user: User, input: CreateTapInput): Promise<TapMethod> {
    if (user.userType === 'Guest' && user.guestOrigin === 'external') {
      throw new BadRequestError('Temporary Access Pass cannot be added to an external guest user.');
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
      );
    }
    if (input.isUsableOnce === false && policy.isUsableOnce) {
      throw new BadRequestError('isUsableOnce cannot be false: the policy requires every Temporary Access Pass to be one-time.');
    }
    let start = now;
    if (input.startDateTime !== undefined) {
      start = ISO.test(input.startDateTime) ? Date.parse(input.startDateTime) : Number.NaN;
      if (Number.isNaN(start)) throw new BadRequestError('startDateTime must be an ISO 8601 date and time with a time zone.');
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
    };
    const previous = fromRedis(await this.redis.replaceTap(keys.tap(user.id), tap.end + RETAIN_AFTER_END_MS, ...toFields(tap)));
    if (previous) await this.revokeIfUsable(user, previous, 'replaced');
    this.log.info('tap.created', { userId: user.id, tapId: tap.id, lifetimeInMinutes: lifetime, isUsableOnce: tap.once });
    return this.toMethod(tap, policy, user, passcode);
  }

  /** Delete the user's TAP (a given one, or whichever there is); revokes what it granted if still usable. */
  async delete(user: User, tapId?: string): Promise<void> {
    const previous = fromRedis(await this.redis.deleteTap(keys.tap(user.id), tapId ?? ''));
    if (!previous) throw new NotFoundError('The user has no Temporary Access Pass with that id.');
    await this.revokeIfUsable(user, previous, 'deleted');
    this.log.info('tap.deleted', { userId: user.id, tapId: previous.id });
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
   * Check a passcode. Verification, one-time consumption and the failure count happen in one Redis script,
   * so two servers racing on one TAP give exactly one success and no guess goes uncounted.
   */
  async verify(user: User, passcode: string): Promise<TapVerification> {
    const [tap, policy] = await Promise.all([this.getStored(user), this.getPolicy()]);
    const o = this.options;
    const blocked = !isInPolicyScope(policy, user) || (policy.isUsableOnce && tap?.once === false);
    const candidate = tap ? this.hasher.hash(passcode.slice(0, 256), tap.salt) : '';
    const [outcome, tapId, count, retryAfterMs, endMs, once] = await this.redis.verifyTap(
      keys.tap(user.id),
      keys.failures(user.id),
      this.clock.now(),
      candidate,
      tap?.id ?? '',
      o.tapDelayAfterFailures,
      o.tapLockAfterFailures,
      o.tapFirstDelaySeconds * 1000,
      o.tapMaxDelaySeconds * 1000,
      o.tapFailureMemorySeconds * 1000,
      blocked ? '1' : '0',
    );
    this.log.info('tap.signin', { userId: user.id, tapId: tapId || undefined, outcome, failures: count });
    if (outcome === 'OK') return { ok: true, tapId, endMs: Number(endMs), once: once === '1' };
    const failures = Number(count);
    const why = { tapId, lockedNow: outcome === 'LOCKED_NOW', failures };
    if (outcome === 'BLOCKED') {
      return { ok: false, outcome: 'blocked', reason: blocked ? 'DisabledByPolicy' : 'OneTimeUsed', retryAfterMs: 0, ...why };
    }
    if (outcome === 'THROTTLED') return { ok: false, outcome: 'throttled', reason: 'Throttled', retryAfterMs: Number(retryAfterMs), ...why };
    if (outcome === 'LOCKED' || outcome === 'LOCKED_NOW') return { ok: false, outcome: 'locked', reason: 'LockedOut', retryAfterMs: 0, ...why };
    return { ok: false, outcome: 'wrong', reason: FAILURE_REASONS[outcome] ?? 'WrongPasscode', retryAfterMs: 0, ...why };
  }

  /** The account's consecutive failures (for operators and tests). */
  async failureCount(user: User): Promise<number> {
    return Number((await this.redis.hget(keys.failures(user.id), 'count')) ?? 0);
  }

  private toMethod(tap: StoredTap, policy: TapPolicy, user: User, passcode: string | null): TapMethod {
    const reason = usabilityReason(tap, policy, user, this.clock.now());
    return {
      id: tap.id,
      temporaryAccessPass: passcode,
      createdDateTime: new Date(tap.created).toISOString(),
      startDateTime: new Date(tap.start).toISOString(),
      lifetimeInMinutes: tap.lifetime,
      isUsableOnce: tap.once,
      isUsable: reason === 'EnabledByPolicy',
      methodUsabilityReason: reason,
    };
  }
}
