import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCbor } from './cbor.ts';

/** The parts of PublicKeyCredentialCreationOptionsJSON the authenticator reads. */
export interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
  pubKeyCredParams: { alg: number; type: string }[];
}

/** The parts of PublicKeyCredentialRequestOptionsJSON the authenticator reads. */
export interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

/** A discoverable credential held by the authenticator. */
export interface SoftCredential {
  id: string;
  rpId: string;
  /** `user.id` of the registration options (base64url), returned as the user handle. */
  userHandle: string;
  privateKey: KeyObject;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

/** User present, user verified, backup eligible and backed up: a synced platform passkey. */
const FLAGS = 0x01 | 0x04 | 0x08 | 0x10;
const ATTESTED_CREDENTIAL_DATA = 0x40;

/**
 * A platform authenticator in software: ES256 keys from node:crypto, `none` attestation, user verification
 * always performed, signature counter 0 (as synced passkeys report it). Answers in the JSON shape that
 * @simplewebauthn/browser posts.
 */
export class SoftAuthenticator {
  readonly credentials = new Map<string, SoftCredential>();
  readonly origin: string;
  /** The model id it reports at registration: none (all zero) unless given, as most synced passkeys do. */
  readonly aaguid: string;
  /** What `getTransports()` reports at registration; some platforms report none. */
  transports: string[] = ['internal', 'hybrid'];

  constructor(origin: string, aaguid = '00000000-0000-0000-0000-000000000000') {
    this.origin = origin;
    this.aaguid = aaguid;
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  /** navigator.credentials.create: a new discoverable ES256 credential. */
  create(options: CreationOptions): { response: string; credential: SoftCredential } {
    if (!options.pubKeyCredParams.some((p) => p.alg === -7)) throw new Error('authenticator: ES256 not offered');
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credentialId = randomBytes(16);
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAGS | ATTESTED_CREDENTIAL_DATA]),
      Buffer.alloc(4),
      Buffer.from(this.aaguid.replaceAll('-', ''), 'hex'),
      idLength,
      credentialId,
      encodeCbor(coseKey),
    ]);
    const attestationObject = encodeCbor({ fmt: 'none', attStmt: {}, authData });
    const clientDataJSON = this.clientData('webauthn.create', options.challenge);
    const id = b64u(credentialId);
    const credential: SoftCredential = { id, rpId, userHandle: options.user.id, privateKey };
    this.credentials.set(id, credential);
    const response = {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestationObject),
        transports: this.transports,
        publicKeyAlgorithm: -7,
        publicKey: b64u(publicKey.export({ format: 'der', type: 'spki' })),
        authenticatorData: b64u(authData),
      },
      clientExtensionResults: { credProps: { rk: true } },
      authenticatorAttachment: 'platform',
    };
    return { response: JSON.stringify(response), credential };
  }

  /**
   * navigator.credentials.get with `credential` (the one the user picks; for a username-less request any of
   * ours for the RP ID, for an allow-list one of those).
   */
  get(options: RequestOptions, credential: SoftCredential): string {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    if (rpId !== credential.rpId) throw new Error(`authenticator: credential is for ${credential.rpId}, not ${rpId}`);
    const allowed = options.allowCredentials ?? [];
    if (allowed.length && !allowed.some((c) => c.id === credential.id)) throw new Error('authenticator: credential not allowed');
    const authData = Buffer.concat([sha256(rpId), Buffer.from([FLAGS]), Buffer.alloc(4)]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return JSON.stringify({
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }
}
