import { Type, type Static } from '@sinclair/typebox';
import { ALL_USERS } from './ALL_USERS.js';

/** A string that must be one of `values`, as a plain JSON Schema `enum` (what the admin API's checker reads). */
function oneOf<T extends string>(values: readonly T[], extra: Record<string, unknown> = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: values, ...extra });
}

function minutes(defaultValue: number, description: string) {
  return Type.Integer({ minimum: LIFETIME_MIN, maximum: LIFETIME_MAX, default: defaultValue, description, errorMessage: `must be a whole number from ${LIFETIME_MIN} to ${LIFETIME_MAX}.` });
}

const LIFETIME_MIN = 10;
const LIFETIME_MAX = 43_200;

/** The one message for a bad target, whatever is wrong inside it. */
export const TARGET_MESSAGE = 'must be {"targetType":"user"|"group","id":"..."}.';

const target = Type.Object(
  {
    targetType: oneOf(['user', 'group'] as const),
    /** User id, user principal name, or group name. */
    id: Type.String({ minLength: 1, maxLength: 256 }),
    // Graph's targets carry it; a TAP has no use for it, so it is accepted and dropped.
    isRegistrationRequired: Type.Optional(Type.Boolean()),
  },
  // Whatever is wrong inside a target, the message names the target (TapPolicy.ts).
  { additionalProperties: false, errorMessage: TARGET_MESSAGE },
);

function targets(defaultValue: Static<typeof target>[], description: string) {
  return Type.Array(target, { maxItems: 500, default: defaultValue, description, errorMessage: { maxItems: 'may hold at most 500 targets.', '*': 'must be an array of {targetType, id}.' } });
}

/**
 * The deployment's TemporaryAccessPass authentication-method configuration, with the defaults of Entra's (all
 * in docs/rules.md). It checks the config file's `tapPolicy`, each change through the admin API, and is the
 * admin API's documented body; min ≤ default ≤ max is checked in code (TapPolicy.ts).
 */
export const TapPolicySchema = Type.Object(
  {
    state: oneOf(['enabled', 'disabled'] as const, { default: 'disabled', description: 'Whether anyone may sign in with a TAP.', errorMessage: 'must be "enabled" or "disabled".' }),
    includeTargets: targets([{ targetType: 'group', id: ALL_USERS }], 'Who may sign in with a TAP; the group `all_users` is everyone.'),
    excludeTargets: targets([], 'Who may not, even when included (exclude wins).'),
    minimumLifetimeInMinutes: minutes(60, 'Shortest lifetime a TAP may be given, minutes.'),
    maximumLifetimeInMinutes: minutes(480, 'Longest lifetime a TAP may be given, minutes.'),
    defaultLifetimeInMinutes: minutes(60, 'Lifetime of a TAP created without one, minutes.'),
    defaultLength: Type.Integer({ minimum: 8, maximum: 48, default: 8, description: 'Passcode length, characters.', errorMessage: 'must be a whole number from 8 to 48.' }),
    isUsableOnce: Type.Boolean({ default: false, description: 'When true every new TAP is one-time, and multi-use ones can no longer sign in.', errorMessage: 'must be true or false.' }),
  },
  { additionalProperties: false, errorMessage: 'must be an object.', unknownMessage: 'is not a property of the TemporaryAccessPass policy.' },
);

const GRAPH_TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration';

/**
 * A change to the policy: any subset of its fields, plus Graph's `@odata.type` and `id`, which name the policy
 * and change nothing.
 */
export const TapPolicyPatchSchema = Type.Object(
  {
    '@odata.type': Type.Optional(oneOf([GRAPH_TYPE], { errorMessage: `must be ${GRAPH_TYPE}.` })),
    id: Type.Optional(oneOf(['TemporaryAccessPass'], { errorMessage: 'must be TemporaryAccessPass.' })),
    ...Type.Partial(TapPolicySchema).properties,
  },
  {
    additionalProperties: false,
    description: `Any subset of the policy; the result must keep min ≤ default ≤ max within ${LIFETIME_MIN}–${LIFETIME_MAX}, length 8–48.`,
    errorMessage: 'must be an object.',
    unknownMessage: 'is not a property of the TemporaryAccessPass policy.',
  },
);
