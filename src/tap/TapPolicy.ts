import { BadRequestError } from '../errors.js';

/** A user or group the policy applies to. `all_users` is the group of everyone. */
export interface PolicyTarget {
  targetType: 'user' | 'group';
  /** User id, user principal name, or group name. */
  id: string;
}

/** The deployment's TemporaryAccessPass authentication-method configuration (behaviour.md). */
export interface TapPolicy {
  /** Whether anyone may sign in with a TAP. */
  state: 'enabled' | 'disabled';
  /** Who may sign in with a TAP. */
  includeTargets: PolicyTarget[];
  /** Who may not, even when included (exclude wins). */
  excludeTargets: PolicyTarget[];
  /** Shortest lifetime a TAP may be given, minutes. */
  minimumLifetimeInMinutes: number;
  /** Longest lifetime a TAP may be given, minutes. */
  maximumLifetimeInMinutes: number;
  /** Lifetime of a TAP created without one, minutes. */
  defaultLifetimeInMinutes: number;
  /** Passcode length, characters. */
  defaultLength: number;
  /** When true every new TAP is one-time, and multi-use ones can no longer sign in. */
  isUsableOnce: boolean;
}

export const ALL_USERS = 'all_users';

export const defaultTapPolicy: Readonly<TapPolicy> = Object.freeze<TapPolicy>({
  state: 'disabled',
  includeTargets: [{ targetType: 'group', id: ALL_USERS }],
  excludeTargets: [],
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLifetimeInMinutes: 60,
  defaultLength: 8,
  isUsableOnce: false,
});

const LIFETIME_MIN = 10;
const LIFETIME_MAX = 43_200;
const FIELDS = new Set(Object.keys(defaultTapPolicy));

function targets(value: unknown, field: string): PolicyTarget[] {
  if (!Array.isArray(value)) throw new BadRequestError(`${field} must be an array of {targetType, id}.`);
  return value.map((t, i) => {
    const target = t as Partial<PolicyTarget> | null;
    if (
      !target ||
      typeof target !== 'object' ||
      (target.targetType !== 'user' && target.targetType !== 'group') ||
      typeof target.id !== 'string' ||
      target.id.length === 0 ||
      target.id.length > 256
    ) {
      throw new BadRequestError(`${field}[${i}] must be {"targetType":"user"|"group","id":"..."}.`);
    }
    return { targetType: target.targetType, id: target.id };
  });
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(`${field} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * Apply `changes` to `base` and return the result, or throw naming the first field that is wrong.
 * Nothing is applied unless everything is valid.
 */
export function applyPolicyChanges(base: TapPolicy, changes: Record<string, unknown>): TapPolicy {
  for (const field of Object.keys(changes)) {
    if (field === '@odata.type' || field === 'id') continue;
    if (!FIELDS.has(field)) throw new BadRequestError(`${field} is not a property of the TemporaryAccessPass policy.`);
  }
  const next: TapPolicy = { ...base, ...pick(changes) };
  if (next.state !== 'enabled' && next.state !== 'disabled') {
    throw new BadRequestError('state must be "enabled" or "disabled".');
  }
  next.includeTargets = targets(next.includeTargets, 'includeTargets');
  next.excludeTargets = targets(next.excludeTargets, 'excludeTargets');
  integer(next.minimumLifetimeInMinutes, 'minimumLifetimeInMinutes', LIFETIME_MIN, LIFETIME_MAX);
  integer(next.maximumLifetimeInMinutes, 'maximumLifetimeInMinutes', LIFETIME_MIN, LIFETIME_MAX);
  integer(next.defaultLifetimeInMinutes, 'defaultLifetimeInMinutes', LIFETIME_MIN, LIFETIME_MAX);
  integer(next.defaultLength, 'defaultLength', 8, 48);
  if (typeof next.isUsableOnce !== 'boolean') throw new BadRequestError('isUsableOnce must be true or false.');
  if (next.maximumLifetimeInMinutes < next.minimumLifetimeInMinutes) {
    throw new BadRequestError('maximumLifetimeInMinutes must be at least minimumLifetimeInMinutes.');
  }
  if (
    next.defaultLifetimeInMinutes < next.minimumLifetimeInMinutes ||
    next.defaultLifetimeInMinutes > next.maximumLifetimeInMinutes
  ) {
    throw new BadRequestError(
      'defaultLifetimeInMinutes must lie between minimumLifetimeInMinutes and maximumLifetimeInMinutes.',
    );
  }
  return next;
}

function pick(changes: Record<string, unknown>): Partial<TapPolicy> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) if (FIELDS.has(k)) out[k] = v;
  return out as Partial<TapPolicy>;
}
