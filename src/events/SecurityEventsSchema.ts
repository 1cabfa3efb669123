import { Type } from '@sinclair/typebox';

const POSITIVE = 'must be a positive whole number';
const NON_EMPTY = 'must be a non-empty string';

/**
 * `securityEvents` of the config file: where Security Event Tokens (RFC 8417) are pushed (RFC 8935) when a TAP is
 * issued, used, locked out or deleted and when a passkey is added or removed. Each setting's default and meaning
 * live here alone; the README's table is generated from them (`npm run docs:options`). That `url` is https is
 * checked in code (parseConfig.ts), and `audience` defaults to its origin there.
 */
export const SecurityEventsSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'the push endpoint; `https` (`http` only for `localhost`)', defaultText: '(required)', errorMessage: NON_EMPTY }),
    audience: Type.Optional(Type.String({ minLength: 1, description: 'the tokens\' `aud`', defaultText: 'the origin of `url`', errorMessage: NON_EMPTY })),
    maxAttempts: Type.Integer({ minimum: 1, default: 12, description: 'attempts per token; then it is dropped with an error in the log', errorMessage: POSITIVE }),
    backoffMs: Type.Integer({ minimum: 1, default: 2000, description: 'wait before the second attempt; doubles each time, up to 1 h', errorMessage: POSITIVE }),
    timeoutMs: Type.Integer({ minimum: 1, default: 5000, description: 'time limit of one attempt', errorMessage: POSITIVE }),
  },
  { additionalProperties: false, errorMessage: 'must be an object', unknownMessage: 'is not a known setting' },
);
