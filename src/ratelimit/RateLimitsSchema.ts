import { Type } from '@sinclair/typebox';

const POSITIVE = 'must be a positive whole number';

/** One limit's schema, with its defaults: each field given replaces the default's. */
function rateLimit(limit: number, windowSeconds: number, description: string) {
  return Type.Object(
    {
      limit: Type.Integer({ minimum: 1, default: limit, errorMessage: POSITIVE, description: 'Requests allowed in a burst, and in every window.' }),
      windowSeconds: Type.Integer({ minimum: 1, default: windowSeconds, errorMessage: POSITIVE, description: 'Time for an empty bucket to fill again, seconds.' }),
    },
    {
      additionalProperties: false,
      default: {},
      description,
      errorMessage: 'must be an object with limit and windowSeconds',
      unknownMessage: 'is not limit or windowSeconds',
    },
  );
}

const limits = {
  signInPerAccount: rateLimit(150, 600, 'Sign-in form posts (identifier, TAP, password, passkey) naming one account.'),
  signInPerAddress: rateLimit(600, 60, 'Sign-in form posts from one source address.'),
  passwordPerAddress: rateLimit(30, 60, 'Password posts from one source address: each costs a hash (scrypt), known account or not.'),
  tokenPerClient: rateLimit(1200, 60, 'Token requests of one client (client_id from Basic auth or the form).'),
  tokenPerAddress: rateLimit(1200, 60, 'Token requests from one source address.'),
  deviceCodePerAddress: rateLimit(10, 60, 'User-code posts of the device verification page (`/device`) from one source address: device codes are short, so guesses must be few.'),
  apiPerCaller: rateLimit(10_000, 600, 'Admin API requests of one authenticated caller (application or user).'),
  apiPerAddress: rateLimit(20_000, 600, 'Admin API requests from one source address, before authentication.'),
};

/**
 * The coarse rate limits in front of the sign-in steps, the token endpoint and the admin API (Redis, shared by
 * every server), with their defaults. Generous: the TAP's own failure count and delays stop guessing well before
 * these. Per-address limits are high because many users may share one address (a NAT, an office proxy).
 */
export const RateLimitsSchema = Type.Object(limits, {
  description: '`{ "<name>": { "limit": n, "windowSeconds": s } }`; each limit given replaces its default field by field',
  defaultText: 'see [Abuse protection](#abuse-protection)',
  additionalProperties: false,
  default: {},
  errorMessage: 'must be an object',
  unknownMessage: `is not one of ${Object.keys(limits).join(', ')}`,
});
