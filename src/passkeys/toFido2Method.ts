import { authenticatorModel } from './authenticatorModel.js';
import type { Passkey } from './Passkey.js';

/** Microsoft Graph's fido2AuthenticationMethod. */
export interface Fido2Method {
  '@odata.type': '#microsoft.graph.fido2AuthenticationMethod';
  id: string;
  displayName: string;
  createdDateTime: string;
  aaGuid: string;
  model: string | null;
  attestationCertificates: string[];
  attestationLevel: 'attested' | 'notAttested';
  passkeyType: 'deviceBound' | 'synced';
}

/**
 * A passkey in the shape Graph scripts already read. We keep no attestation, so it is never `attested`; `model`
 * comes from the AAGUID list, so it names what the authenticator says it is, unverified.
 */
export function toFido2Method(p: Passkey): Fido2Method {
  return {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
    id: p.id,
    displayName: p.name,
    createdDateTime: new Date(p.createdAt).toISOString(),
    aaGuid: p.aaguid,
    model: authenticatorModel(p.aaguid) ?? null,
    attestationCertificates: [],
    attestationLevel: 'notAttested',
    passkeyType: p.deviceType === 'multiDevice' ? 'synced' : 'deviceBound',
  };
}
