import type { Static } from '@sinclair/typebox';
import type { ClientMetadata } from 'oidc-provider';
import type { LdapDirectoryConfig } from '../directory/LdapDirectorySchema.js';
import type { UserSeed } from '../directory/UserSeed.js';
import type { SecurityEventsConfig } from '../events/SecurityEventsConfig.js';
import type { TapPolicy } from '../tap/TapPolicy.js';
import type { BrandingSchema } from './BrandingSchema.js';
import type { OptionsSchema } from './OptionsSchema.js';
import type { ResourceSchema } from './ResourceSchema.js';

/** Application permissions a client may be granted, named as in Microsoft Graph. */
export const PERMISSIONS = [
  'UserAuthMethod-TAP.ReadWrite.All',
  'UserAuthMethod-TAP.Read.All',
  'Policy.ReadWrite.AuthenticationMethod',
  'Policy.Read.All',
  'User.ReadWrite.All',
  'AuditLog.Read.All',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Scopes a client may ask for on behalf of a signed-in user (delegated), named as in Microsoft Graph: the
 * application permissions (the user's roles then limit what they allow), and the self-service ones for the
 * user's own methods at `/me`.
 */
export const DELEGATED_PERMISSIONS = [...PERMISSIONS, 'UserAuthenticationMethod.Read', 'UserAuthenticationMethod.ReadWrite'] as const;
export type DelegatedPermission = (typeof DELEGATED_PERMISSIONS)[number];

/** An upstream OpenID provider that signs in the users of one UPN domain. */
export interface FederationDomain {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Default `client_secret_basic`. */
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  /** The upstream claim that holds the user's UPN, compared case-insensitively. Default `email`. */
  upnClaim: string;
}

/** Lifetimes and limits of the deployment; each option's default and meaning are in OptionsSchema. */
export type Options = Static<typeof OptionsSchema>;

/**
 * A client entry: oidc-provider metadata plus the Graph permissions it is granted: `permissions` with client
 * credentials, `delegatedPermissions` the admin API scopes it may ask a signed-in person for (default none).
 */
export type ClientConfig = ClientMetadata & { permissions?: Permission[]; delegatedPermissions?: DelegatedPermission[] };

/** Config `branding`; each field's default and meaning are in BrandingSchema. */
export type Branding = Static<typeof BrandingSchema>;

/** An API of the deployment's apps (RFC 8707); each field's default and meaning are in ResourceSchema. */
export type ResourceConfig = Static<typeof ResourceSchema>;

/** The whole config file, validated and with defaults applied. */
export interface AppConfig {
  clients: ClientConfig[];
  users: UserSeed[];
  /** Fields given here override the policy defaults when imported. */
  tapPolicy: Partial<TapPolicy>;
  federation: { domains: Record<string, FederationDomain> };
  options: Options;
  /** Absent: no security events are sent. */
  securityEvents?: SecurityEventsConfig;
  /** Absent: users live in oidc-tap's own Redis directory. */
  directory?: LdapDirectoryConfig;
  /** The organisation's name, look, help desk, language and time zone on the pages; absent or `{}`: the product's own. */
  branding?: Branding;
  /** The APIs apps get access tokens for; absent (parseConfig gives `[]`): none. */
  resources?: ResourceConfig[];
}
