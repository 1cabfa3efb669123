import { SignJWT } from 'jose';
import type { JWK } from 'oidc-provider';
import { providerSigningKey } from './providerSigningKey.js';
import type { SecurityEvent } from './SecurityEvent.js';
import { securityEventTypes } from './securityEventTypes.js';

export interface SetSigner {
  issuer: string;
  audience: string;
  /** The provider's private signing keys; the first RSA key signs (RS256), as oidc-provider's ID tokens. */
  jwks: { keys: JWK[] };
}

/** `events` of the token: CAEP for credential changes, our URNs for a TAP used or locked out. */
function events(e: SecurityEvent): Record<string, Record<string, unknown>> {
  const common = {
    event_timestamp: Math.floor(e.atMs / 1000),
    initiating_entity: e.initiator,
    ...(e.reason ? { reason_admin: { en: e.reason } } : {}),
  };
  switch (e.type) {
    case 'tap-used':
      return { [securityEventTypes.tapUsed]: { ...common, tap_id: e.credentialId ?? null, client_id: e.clientId ?? null } };
    case 'tap-locked-out':
      return { [securityEventTypes.tapLockedOut]: { ...common, tap_id: e.credentialId ?? null } };
    case 'tap-issued':
    case 'tap-approved':
    case 'tap-deleted':
      // CAEP allows a credential type the transmitter and receiver agree on; a TAP is none of its listed ones.
      return {
        [securityEventTypes.credentialChange]: {
          ...common,
          credential_type: 'temporary-access-pass',
          // A TAP approved under the two-person rule becomes usable: an update of the credential.
          change_type: e.type === 'tap-issued' ? 'create' : e.type === 'tap-approved' ? 'update' : 'delete',
          ...(e.credentialId ? { credential_id: e.credentialId } : {}),
        },
      };
    case 'passkey-added':
    case 'passkey-removed':
      return {
        [securityEventTypes.credentialChange]: {
          ...common,
          credential_type: e.platform ? 'fido2-platform' : 'fido2-roaming',
          change_type: e.type === 'passkey-added' ? 'create' : 'delete',
          ...(e.aaguid ? { fido2_aaguid: e.aaguid } : {}),
          ...(e.credentialId ? { credential_id: e.credentialId } : {}),
        },
      };
  }
}

/**
 * A Security Event Token (RFC 8417) for one event, signed with the provider's key so that a receiver checks it
 * against the provider's `/jwks`. The subject is an RFC 9493 `iss_sub` identifier: the `sub` of the user's ID tokens.
 */
export async function signSecurityEventToken(e: SecurityEvent, jti: string, nowMs: number, signer: SetSigner): Promise<string> {
  const k = await providerSigningKey(signer.jwks);
  return new SignJWT({
    sub_id: { format: 'iss_sub', iss: signer.issuer, sub: e.userId },
    events: events(e),
  })
    .setProtectedHeader({ alg: k.alg, typ: 'secevent+jwt', ...(k.kid ? { kid: k.kid } : {}) })
    .setIssuer(signer.issuer)
    .setAudience(signer.audience)
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setJti(jti)
    .sign(k.key);
}
