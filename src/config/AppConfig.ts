import type { ClientMetadata } from 'oidc-provider';
import type { UserSeed } from '../directory/UserSeed.js';
import type { SecurityEventsConfig } from '../events/SecurityEventsConfig.js';
import type { RateLimits } from '../ratelimit/RateLimits.js';
import type { TapPolicy } from '../tap/TapPolicy.js';

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

/** Lifetimes and limits of the deployment; every field has a default (`defaultOptions` in parseConfig.ts). */
export interface Options {
  /** Longest life of a sign-in session, counted from the sign-in (using it does not extend it), seconds. Default 14 days. */
  sessionTtlSeconds: number;
  /** A sign-in session unused this long ends (each use starts the wait again), seconds; 0 for none. Default 0. */
  sessionIdleTimeoutSeconds: number;
  /** Grant lifetime, seconds. Default 14 days. */
  grantTtlSeconds: number;
  /** Access token lifetime, seconds. Default 1 hour. */
  accessTokenTtlSeconds: number;
  /** ID token lifetime, seconds. Default 1 hour. */
  idTokenTtlSeconds: number;
  /** Refresh token lifetime, seconds. Default 14 days. */
  refreshTokenTtlSeconds: number;
  /** Consecutive failures against a TAP from one source network after which each try from it must wait. Default 5. */
  tapDelayAfterFailures: number;
  /** Consecutive failures against a TAP from one source network that lock that network out of it. Default 10. */
  tapLockAfterFailures: number;
  /** Failures against a TAP from all networks together that lock the TAP itself (`LockedOut`). Default 50. */
  tapLockAfterTotalFailures: number;
  /** First wait once delays start, seconds; doubles each failure. Default 30. */
  tapFirstDelaySeconds: number;
  /** Longest wait, seconds. Default 3600. */
  tapMaxDelaySeconds: number;
  /** How long a TAP's failures are remembered after its last one, seconds. Default 30 days. */
  tapFailureMemorySeconds: number;
  /** Delete the TAP once the passkey registered with it has signed in. Default true. */
  deleteTapAfterPasskey: boolean;
  /** Adding or deleting a method on the security-info page needs a sign-in this recent, seconds. Default 600. */
  reauthenticationMaxAgeSeconds: number;
  /** How long audit records (directory audits and sign-ins) are kept, days. Default 30. */
  auditRetentionDays: number;
  /**
   * How many failed sign-ins under identifiers that name no account the sign-ins log keeps (the newest; anyone
   * can make them up, so they are bounded by count as well as by the retention). Default 10000.
   */
  unknownAccountSignInsKept: number;
  /** Leeway when checking the times in an upstream provider's ID token, seconds. Default 30. */
  federationClockToleranceSeconds: number;
  /** Users of federated domains may sign in here with their passkeys, without the upstream. Default true. */
  allowPasskeyForFederatedUsers: boolean;
  /** Rate limits; each one given here replaces its default field by field. Defaults on RateLimits. */
  rateLimits: RateLimits;
}

/**
 * A client entry: oidc-provider metadata plus the Graph permissions it is granted: `permissions` with client
 * credentials, `delegatedPermissions` the admin API scopes it may ask a signed-in person for (default none).
 */
export type ClientConfig = ClientMetadata & { permissions?: Permission[]; delegatedPermissions?: DelegatedPermission[] };

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
}
