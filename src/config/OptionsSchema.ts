import { Type } from '@sinclair/typebox';
import { RateLimitsSchema } from '../ratelimit/RateLimitsSchema.js';

const POSITIVE = 'must be a positive whole number';
const DAY = 24 * 3600;

/** A whole number of at least 1 (or 0 when `zeroIsOff`, which turns the feature off). */
function count(defaultValue: number, description: string, extra: { defaultText?: string; zeroIsOff?: boolean } = {}) {
  return Type.Integer({
    minimum: extra.zeroIsOff ? 0 : 1,
    default: defaultValue,
    description,
    errorMessage: extra.zeroIsOff ? `${POSITIVE}, or 0 for none` : POSITIVE,
    ...(extra.defaultText ? { defaultText: extra.defaultText } : {}),
  });
}

function flag(defaultValue: boolean, description: string) {
  return Type.Boolean({ default: defaultValue, description, errorMessage: 'must be true or false' });
}

/**
 * `options` of the config file: lifetimes and limits of the deployment. Each option's type, default and
 * description live here alone; the README's options table is generated from them (`npm run docs:options`).
 */
export const OptionsSchema = Type.Object(
  {
    sessionTtlSeconds: count(14 * DAY, 'longest sign-in session, counted from the sign-in however often it is used (a TAP session ends with its TAP; a session nobody signed in to, at most an hour)', { defaultText: '1209600 (14 d)' }),
    sessionIdleTimeoutSeconds: count(0, 'a sign-in session unused this long ends; each use starts the wait again', { zeroIsOff: true, defaultText: '0 (none)' }),
    grantTtlSeconds: count(14 * DAY, 'grant lifetime'),
    accessTokenTtlSeconds: count(3600, 'access token lifetime (never past the grant)'),
    idTokenTtlSeconds: count(3600, 'ID token lifetime (never past the grant)'),
    refreshTokenTtlSeconds: count(14 * DAY, 'refresh token lifetime (rotated at each use)'),
    tapDelayAfterFailures: count(5, 'failures against a TAP from one network after which each try from it must wait ([Guessing a TAP](#guessing-a-tap))'),
    tapLockAfterFailures: count(10, 'failures against a TAP from one network that lock that network out of it; more than `tapDelayAfterFailures`'),
    tapLockAfterTotalFailures: count(50, 'failures against a TAP from all networks together that lock the TAP itself (`LockedOut`); at least `tapLockAfterFailures`'),
    tapFirstDelaySeconds: count(30, 'the first wait once waits start; it doubles with each failure'),
    tapMaxDelaySeconds: count(3600, 'the longest wait'),
    tapFailureMemorySeconds: count(30 * DAY, 'how long a TAP\'s failures are kept after its last one', { defaultText: '2592000 (30 d)' }),
    tapApprovalForAdmins: flag(
      true,
      'two-person rule: a TAP for a user who holds any administrative role is issued pending (`PendingApproval`), unusable until a second administrator approves it; `false` turns the rule off',
    ),
    deleteTapAfterPasskey: flag(true, 'delete the TAP once the passkey registered with it has signed in'),
    reauthenticationMaxAgeSeconds: count(600, 'adding or deleting a method on the security-info page, or deleting one at `/v1.0/me/…`, needs a sign-in this recent'),
    auditRetentionDays: count(30, 'how long audit records (directory audits and sign-ins) are kept'),
    unknownAccountSignInsKept: count(10_000, 'failed sign-ins under identifiers that name no account: only this many newest are kept (within the retention)'),
    federationClockToleranceSeconds: count(30, 'leeway when checking the times (`iat`, `exp`) of an upstream provider\'s ID token'),
    allowPasskeyForFederatedUsers: flag(true, 'users of federated domains may sign in here with their passkeys, without their provider'),
    tenantId: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
        description: 'the `tid` claim of ID tokens, which apps written for Entra ID read as the tenant (MSAL\'s `account.tenantId`): a GUID',
        defaultText: 'a GUID derived from the issuer URL (the same for every server of a deployment, stable across restarts)',
        errorMessage: 'must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)',
      }),
    ),
    adminApiCorsOrigins: Type.Array(
      Type.String({ pattern: '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$', errorMessage: 'must be an origin such as https://admin.contoso.com (scheme, host, optional port; no path)' }),
      {
        default: [],
        description: 'origins of browser-based admin tools allowed to call `/v1.0` across origins (CORS, without cookies: the token is the credential)',
        defaultText: '`[]` (none)',
        errorMessage: 'must be a list of origins',
      },
    ),
    rateLimits: RateLimitsSchema,
  },
  { additionalProperties: false, default: {}, errorMessage: 'must be an object', unknownMessage: 'is not a known option' },
);
