import { Type } from '@sinclair/typebox';

/** A scope-token of RFC 6749 (section 3.3): printable ASCII without space, `"` or `\`. */
const SCOPE_TOKEN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$';

/**
 * One entry of `resources` in the config file: an API of the deployment's apps (RFC 8707) that apps get access
 * tokens for by asking with `resource=<identifier>` and its scopes. Each field's default and meaning live here
 * alone; the README's table is generated from them (`npm run docs:options`). That `identifier` is an absolute URL
 * without fragment, that no identifier is repeated and no scope is an OpenID Connect one, is checked in parseConfig.ts.
 */
export const ResourceSchema = Type.Object(
  {
    identifier: Type.String({ minLength: 1, description: 'the API\'s resource indicator: an absolute URL, the tokens\' `aud`', defaultText: '(required)', errorMessage: 'must be a non-empty string' }),
    scopes: Type.Array(
      Type.String({ pattern: SCOPE_TOKEN, errorMessage: 'must be a scope name (no spaces or quotes)' }),
      { minItems: 1, description: 'the scopes an app may ask for it; granted without a consent page (the API is the deployment\'s own)', defaultText: '(required)', errorMessage: 'must be a non-empty array of scope names' },
    ),
    accessTokenFormat: Type.Unsafe<'jwt' | 'opaque'>({
      type: 'string',
      enum: ['jwt', 'opaque'],
      default: 'jwt',
      description: '`jwt`: signed (RFC 9068, `typ` `at+jwt`, the provider\'s keys at `/jwks`), with `acr`, `amr` and `auth_time`; `opaque`: checked by introspection',
      errorMessage: 'must be jwt or opaque',
    }),
    accessTokenTtlSeconds: Type.Optional(
      Type.Integer({ minimum: 1, description: 'its access tokens\' lifetime, never past the grant (a TAP sign-in\'s ends with the TAP)', defaultText: '`options.accessTokenTtlSeconds`', errorMessage: 'must be a positive whole number' }),
    ),
  },
  { additionalProperties: false, errorMessage: 'must be an object', unknownMessage: 'is not a known setting' },
);
