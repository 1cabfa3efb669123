import { Type } from '@sinclair/typebox';
import { BrandingSchema } from './BrandingSchema.js';
import { LdapDirectorySchema } from '../directory/LdapDirectorySchema.js';
import { UserSeedSchema } from '../directory/UserSeedSchema.js';
import { SecurityEventsSchema } from '../events/SecurityEventsSchema.js';
import { nameListSchema } from '../nameListSchema.js';
import { DELEGATED_PERMISSIONS, PERMISSIONS } from './AppConfig.js';
import { OptionsSchema } from './OptionsSchema.js';
import { ResourceSchema } from './ResourceSchema.js';

const NON_EMPTY = 'must be a non-empty string';
const text = (extra: Record<string, unknown> = {}) => Type.String({ minLength: 1, errorMessage: NON_EMPTY, ...extra });

/** A client entry: oidc-provider metadata (checked by oidc-provider), plus the Graph permissions it is granted. */
const ClientSchema = Type.Object(
  {
    client_id: text(),
    permissions: nameListSchema(PERMISSIONS),
    delegatedPermissions: nameListSchema(DELEGATED_PERMISSIONS),
  },
  { errorMessage: 'must be an object' },
);

/** An upstream OpenID provider for one UPN domain; that `issuer` is an https URL is checked in parseConfig.ts. */
const FederationDomainSchema = Type.Object(
  {
    issuer: text(),
    clientId: text(),
    clientSecret: text(),
    tokenEndpointAuthMethod: Type.Unsafe<'client_secret_basic' | 'client_secret_post'>({
      type: 'string',
      enum: ['client_secret_basic', 'client_secret_post'],
      default: 'client_secret_basic',
      errorMessage: 'must be client_secret_basic or client_secret_post',
    }),
    /** The upstream claim that holds the user's UPN, compared case-insensitively. */
    upnClaim: text({ default: 'email' }),
  },
  { errorMessage: 'must be an object' },
);

/**
 * The config file, composed of each section's schema. What a schema cannot say is checked in parseConfig.ts:
 * duplicate UPNs, https issuers and receivers, the option pairs, and the TAP policy (TapPolicySchema, through
 * the same change the admin API makes).
 */
export const ConfigSchema = Type.Object(
  {
    $comment: Type.Optional(Type.Unknown()),
    users: Type.Array(UserSeedSchema, { default: [], errorMessage: 'must be an array' }),
    tapPolicy: Type.Optional(Type.Object({}, { errorMessage: 'must be an object' })),
    clients: Type.Array(ClientSchema, { default: [], errorMessage: 'must be an array' }),
    federation: Type.Object(
      { domains: Type.Record(Type.String(), FederationDomainSchema, { default: {}, errorMessage: 'must be an object keyed by domain' }) },
      { default: {}, errorMessage: 'must be an object' },
    ),
    options: OptionsSchema,
    securityEvents: Type.Optional(SecurityEventsSchema),
    directory: Type.Optional(LdapDirectorySchema),
    branding: BrandingSchema,
    resources: Type.Array(ResourceSchema, { default: [], errorMessage: 'must be an array' }),
  },
  { additionalProperties: false, errorMessage: 'must be a JSON object', unknownMessage: 'is not a known config section' },
);
