import { randomUUID } from 'node:crypto';
import type { SignInAuditInput } from './AuditEntry.js';

/** Graph's names for the methods in `authenticationMethodsUsed`. */
const METHOD_NAMES: Record<string, string> = {
  tap: 'Temporary Access Pass',
  passkey: 'Passkey',
  password: 'Password',
  federation: 'Federated identity provider',
};

/**
 * Entra's error codes where one fits (50126: wrong credential, 50053: throttled or locked, 50057: account
 * disabled); 0 for success.
 * The precise reason is `failureReason`.
 */
function errorCode(input: SignInAuditInput): number {
  if (input.result === 'success') return 0;
  if (input.reason === 'UserDisabled') return 50057;
  return ['Throttled', 'LockedOut', 'NetworkLockedOut'].includes(input.reason ?? '') ? 50053 : 50126;
}

/** A sign-in outcome in Microsoft Graph's `signIn` shape, as stored and returned. */
export function toSignIn(input: SignInAuditInput, atMs: number): Record<string, unknown> {
  return {
    id: randomUUID(),
    createdDateTime: new Date(atMs).toISOString(),
    userDisplayName: input.userDisplayName ?? null,
    userPrincipalName: input.userPrincipalName,
    userId: input.userId ?? null,
    appId: input.clientId ?? null,
    ipAddress: input.ip ?? null,
    clientAppUsed: 'Browser',
    correlationId: input.correlationId ?? randomUUID(),
    authenticationMethodsUsed: [METHOD_NAMES[input.method] ?? input.method],
    // Which TAP or passkey: Graph's authenticationDetails, and the same in fields of their own.
    authenticationDetails: [
      {
        authenticationMethod: METHOD_NAMES[input.method] ?? input.method,
        authenticationMethodDetail: input.credentialName ?? input.credentialId ?? null,
        succeeded: input.result === 'success',
      },
    ],
    'oidcTap.credentialId': input.credentialId ?? null,
    'oidcTap.credentialAaguid': input.credentialAaguid ?? null,
    status: {
      errorCode: errorCode(input),
      failureReason: input.result === 'success' ? null : (input.reason ?? 'Other'),
    },
  };
}
