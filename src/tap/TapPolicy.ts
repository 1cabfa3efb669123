import type { Static } from '@sinclair/typebox';
import { checkSchema } from '../checkSchema.js';
import { BadRequestError } from '../errors.js';
import { TARGET_MESSAGE, TapPolicySchema } from './TapPolicySchema.js';

/** The deployment's TemporaryAccessPass authentication-method configuration; each field is described in TapPolicySchema. */
export type TapPolicy = Static<typeof TapPolicySchema>;

/** A user or group the policy applies to. `all_users` is the group of everyone. */
export type PolicyTarget = TapPolicy['includeTargets'][number];

const checkPolicy = checkSchema(TapPolicySchema);

/** The defaults of TapPolicySchema (docs/rules.md). */
export const defaultTapPolicy: Readonly<TapPolicy> = Object.freeze(checked({}));

const FIELDS = new Set(Object.keys(TapPolicySchema.properties));

/** `policy` checked against TapPolicySchema with its defaults filled in, or a BadRequestError naming the first bad field. */
function checked(policy: Record<string, unknown>): TapPolicy {
  const result = checkPolicy(policy);
  if (result.ok) return result.value;
  const inTarget = /^((?:include|exclude)Targets\[\d+\])\./.exec(result.field);
  throw new BadRequestError(inTarget ? `${inTarget[1]} ${TARGET_MESSAGE}` : `${result.field} ${result.message}`);
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
  const next = checked({ ...base, ...pick(changes) });
  // Only what a TAP uses is kept: Graph's isRegistrationRequired is accepted and dropped.
  next.includeTargets = next.includeTargets.map(({ targetType, id }) => ({ targetType, id }));
  next.excludeTargets = next.excludeTargets.map(({ targetType, id }) => ({ targetType, id }));
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
