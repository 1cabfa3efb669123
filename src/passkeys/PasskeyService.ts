import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { AuditContext } from '../audit/AuditContext.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { Clock } from '../Clock.js';
import type { User } from '../directory/User.js';
import type { Logger } from '../log/Logger.js';
import type { Revoker } from '../revocation/Revoker.js';
import type { Store } from '../store/connectRedis.js';
import { compareAndDeleteScript } from '../store/compareAndDeleteScript.js';
import { keys } from '../store/keys.js';
import { authenticatorModel } from './authenticatorModel.js';
import { deletePasskeyScript } from './deletePasskeyScript.js';
import type { Passkey } from './Passkey.js';
import { renamePasskeyScript } from './renamePasskeyScript.js';
import { parseStoredPasskey } from './parseStoredPasskey.js';
import { storePasskeyUnderTapScript } from './storePasskeyUnderTapScript.js';
import { usePasskeyScript } from './usePasskeyScript.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';
import { replicated } from '../store/replicated.js';

/** Where passkeys are bound: the issuer's origin, and its host as the relying party id. */
export interface WebAuthnSettings {
  /** The issuer's host name (WebAuthn RP ID). */
  rpId: string;
  /** The issuer's origin, the only one a ceremony may come from. */
  origin: string;
  /** Shown by the authenticator when registering. */
  rpName: string;
}

export type PasskeyResult = { ok: true; passkey: Passkey } | { ok: false; error: MessageRef };

/** How long a challenge may wait for its answer. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const NAME_MAX = 60;
/** How long a registered but not yet confirmed passkey holds its credential id: as long as its sign-in can live. */
const UNCONFIRMED_CLAIM_MS = 3600_000;

export const PASSKEY_EXPIRED: MessageRef = msg('passkey.error.expired');
export const PASSKEY_FAILED: MessageRef = msg('passkey.error.failed');
export const PASSKEY_UNKNOWN: MessageRef = msg('passkey.error.unknown');

/**
 * Registers passkeys, signs in with them, and keeps them per user in Redis. Each change is recorded in the audit
 * log here, as done by the caller's `AuditContext`.
 */
export class PasskeyService {
  constructor(
    private readonly redis: Store,
    readonly settings: WebAuthnSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly audit: AuditLog,
    /** Ends what signing in with a passkey obtained, when the passkey is deleted. */
    private readonly revoker: Revoker,
  ) {}

  async list(userId: string): Promise<Passkey[]> {
    const raw = await this.redis.hvals(keys.passkeys(userId));
    return raw.map(parseStoredPasskey).sort((a, b) => a.createdAt - b.createdAt);
  }

  async get(userId: string, credentialId: string): Promise<Passkey | undefined> {
    const raw = await this.redis.hget(keys.passkeys(userId), credentialId);
    return raw ? parseStoredPasskey(raw) : undefined;
  }

  async count(userId: string): Promise<number> {
    return this.redis.hlen(keys.passkeys(userId));
  }

  /**
   * A new passkey's name when the user gives none: its authenticator's model when the AAGUID list names it
   * ("iCloud Keychain", then "iCloud Keychain 2" beside one of that name), else "Passkey", "Passkey 2", ….
   */
  private async defaultName(userId: string, aaguid: string): Promise<string> {
    const model = authenticatorModel(aaguid);
    if (!model) {
      const count = await this.count(userId);
      return count === 0 ? 'Passkey' : `Passkey ${count + 1}`;
    }
    const taken = new Set((await this.list(userId)).map((p) => p.name));
    let n = 1;
    while (taken.has(n === 1 ? model : `${model} ${n}`)) n += 1;
    return cleanName(n === 1 ? model : `${model} ${n}`);
  }

  /** Options for `navigator.credentials.create`: a discoverable credential with user verification. */
  async registrationOptions(user: User, purpose: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    // Our own challenge, so that it is stored in the same round trip as the passkeys are listed.
    const challenge = randomBytes(32);
    const [existing] = await Promise.all([
      this.list(user.id),
      this.redis.set(keys.challenge(purpose, challenge.toString('base64url')), '1', 'PX', CHALLENGE_TTL_MS),
    ]);
    const options = await generateRegistrationOptions({
      challenge,
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: user.userPrincipalName,
      userDisplayName: user.displayName,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      timeout: CHALLENGE_TTL_MS,
    });
    return options;
  }

  /**
   * Take the challenge an answer signed, if it is one we issued for `purpose` and not yet used. Keyed by the
   * challenge itself, so a second tab or a re-rendered page does not invalidate the first one's.
   */
  private async takeChallenge(purpose: string, clientDataJSON: unknown): Promise<string | undefined> {
    if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 8192) return undefined;
    let challenge: unknown;
    try {
      challenge = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
    } catch {
      return undefined;
    }
    if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) return undefined;
    return (await this.redis.getdel(keys.challenge(purpose, challenge))) ? challenge : undefined;
  }

  /** Verify a registration answer against the challenge of `purpose` (used once) and store the passkey. */
  async register(user: User, purpose: string, responseJson: string, name: string | undefined, by: AuditContext): Promise<PasskeyResult> {
    const result = await this.verifyRegistration(user, purpose, responseJson, name);
    if (!result.ok) return result;
    await Promise.all([
      this.redis.hset(keys.passkeys(user.id), result.passkey.id, JSON.stringify(result.passkey)),
      this.redis.persist(keys.credentialOwner(result.passkey.id)),
    ]);
    this.log.info('passkey.registered', { userId: user.id, credentialId: result.passkey.id });
    await this.audit.recordDirectory(auditRecords.userRegisteredPasskey(user, result.passkey, by.ip));
    // After the record: a registered passkey keeps its audit record through a failover too.
    await replicated(this.redis, keys.passkeys(user.id), keys.auditDirectory());
    return result;
  }

  /**
   * Verify a registration answer against the challenge of `purpose` (used once), without storing the passkey:
   * its credential id is claimed for the user for an hour, until `storeUnderTap` (or `register`) keeps it.
   */
  async verifyRegistration(user: User, purpose: string, responseJson: string, name?: string): Promise<PasskeyResult> {
    const response = parseJson<RegistrationResponseJSON>(responseJson);
    if (!response) return { ok: false, error: msg('passkey.error.notRegistered') };
    const challenge = await this.takeChallenge(purpose, response.response?.clientDataJSON);
    if (!challenge) return { ok: false, error: PASSKEY_EXPIRED };
    let info;
    try {
      const v = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.settings.origin,
        expectedRPID: this.settings.rpId,
        requireUserVerification: true,
      });
      if (!v.verified) throw new Error('not verified');
      info = v.registrationInfo;
    } catch (err) {
      this.log.warn('passkey.register.refused', { userId: user.id, reason: (err as Error).message });
      return { ok: false, error: msg('passkey.error.notVerified') };
    }
    const id = info.credential.id;
    // A credential id is one account's: claim it first, so two registrations cannot share it.
    const claimed = await this.redis.set(keys.credentialOwner(id), user.id, 'PX', UNCONFIRMED_CLAIM_MS, 'NX');
    if (claimed !== 'OK') return { ok: false, error: msg('passkey.error.alreadyRegistered') };
    const passkey: Passkey = {
      id,
      userId: user.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      aaguid: info.aaguid,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: cleanName(name) || (await this.defaultName(user.id, info.aaguid)),
      createdAt: this.clock.now(),
    };
    return { ok: true, passkey };
  }

  /**
   * Keep a passkey registered in a TAP sign-in, in one atomic step with the check that the TAP which began the
   * sign-in still carries it (`storePasskeyUnderTapScript`). False, and the credential id released, when it does not.
   */
  async storeUnderTap(user: User, passkey: Passkey, tapId: string, by: AuditContext): Promise<boolean> {
    const stored = await storePasskeyUnderTapScript.run(this.redis, {
      keys: { tap: keys.tap(passkey.userId), passkeys: keys.passkeys(passkey.userId) },
      args: { tapId, nowMs: this.clock.now(), credentialId: passkey.id, passkey: JSON.stringify(passkey) },
    });
    if (!stored) {
      await compareAndDeleteScript.run(this.redis, { keys: { key: keys.credentialOwner(passkey.id) }, args: { expected: passkey.userId } });
      this.log.info('passkey.register.refused', { userId: passkey.userId, credentialId: passkey.id, reason: 'the TAP of the sign-in ended' });
      return false;
    }
    await this.redis.persist(keys.credentialOwner(passkey.id));
    this.log.info('passkey.registered', { userId: passkey.userId, credentialId: passkey.id });
    await this.audit.recordDirectory(auditRecords.userRegisteredPasskey(user, passkey, by.ip));
    await replicated(this.redis, keys.passkeys(passkey.userId), keys.auditDirectory());
    return true;
  }

  /**
   * Verify a sign-in answer against the challenge of `purpose` (used once) and a passkey that is not stored yet
   * (the one just registered, before it is kept). Returns it with the counter and time of this use.
   */
  async authenticateWith(purpose: string, responseJson: string, passkey: Passkey): Promise<PasskeyResult> {
    const response = parseJson<AuthenticationResponseJSON>(responseJson);
    if (!response || response.id !== passkey.id) return { ok: false, error: PASSKEY_FAILED };
    const challenge = await this.takeChallenge(purpose, response.response?.clientDataJSON);
    if (!challenge) return { ok: false, error: PASSKEY_EXPIRED };
    const newCounter = await this.verifyAssertion(response, challenge, passkey);
    if (newCounter === undefined) return { ok: false, error: PASSKEY_FAILED };
    return { ok: true, passkey: { ...passkey, counter: newCounter, lastUsedAt: this.clock.now() } };
  }

  /** The answer's new signature counter when it is a valid assertion of `passkey` for `challenge`. */
  private async verifyAssertion(response: AuthenticationResponseJSON, challenge: string, passkey: Passkey): Promise<number | undefined> {
    try {
      const v = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.settings.origin,
        expectedRPID: this.settings.rpId,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.counter,
          transports: passkey.transports,
        },
        requireUserVerification: true,
      });
      if (!v.verified) throw new Error('not verified');
      return v.authenticationInfo.newCounter;
    } catch (err) {
      const message = (err as Error).message;
      const reason = /counter/i.test(message) ? `signature counter went back: possible cloned authenticator (${message})` : message;
      this.log.warn('passkey.signin.refused', { userId: passkey.userId, credentialId: passkey.id, reason });
      return undefined;
    }
  }

  /**
   * Options for `navigator.credentials.get`. `allow`: the passkeys the browser may use; none (the default), any
   * discoverable passkey of ours will do. Whoever sees the options sees these credential ids, so the sign-in step
   * names none: only a page shown to the signed-in owner may (the confirmation of a new passkey).
   */
  async authenticationOptions(purpose: string, allow: readonly Passkey[] = []): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.settings.rpId,
      allowCredentials: allow.map((p) => ({ id: p.id, transports: p.transports })),
      userVerification: 'required',
      timeout: CHALLENGE_TTL_MS,
    });
    await this.redis.set(keys.challenge(purpose, options.challenge), '1', 'PX', CHALLENGE_TTL_MS);
    return options;
  }

  /**
   * Verify a sign-in answer against the challenge of `purpose` (used once). With `expectedUserId`, only that
   * user's passkeys are accepted.
   */
  async authenticate(purpose: string, responseJson: string, expectedUserId?: string): Promise<PasskeyResult> {
    const response = parseJson<AuthenticationResponseJSON>(responseJson);
    if (!response || typeof response.id !== 'string' || response.id.length > 1024) return { ok: false, error: PASSKEY_FAILED };
    const challenge = await this.takeChallenge(purpose, response.response?.clientDataJSON);
    if (!challenge) return { ok: false, error: PASSKEY_EXPIRED };
    const owner = await this.redis.get(keys.credentialOwner(response.id));
    if (!owner || (expectedUserId !== undefined && owner !== expectedUserId)) return { ok: false, error: PASSKEY_UNKNOWN };
    const handle = response.response?.userHandle;
    if (handle && Buffer.from(handle, 'base64url').toString('utf8') !== owner) return { ok: false, error: PASSKEY_UNKNOWN };
    const passkey = await this.get(owner, response.id);
    if (!passkey) return { ok: false, error: PASSKEY_UNKNOWN };
    const newCounter = await this.verifyAssertion(response, challenge, passkey);
    if (newCounter === undefined) return { ok: false, error: PASSKEY_FAILED };
    // Checked again atomically: two answers racing with the same counter means one of them is a clone.
    const outcome = await usePasskeyScript.run(this.redis, { keys: { passkeys: keys.passkeys(owner) }, args: { credentialId: passkey.id, counter: newCounter, nowMs: this.clock.now() } });
    if (outcome !== 'OK') {
      this.log.warn('passkey.signin.refused', { userId: owner, credentialId: passkey.id, reason: outcome === 'CLONED' ? 'signature counter went back: possible cloned authenticator' : 'deleted meanwhile' });
      return { ok: false, error: PASSKEY_FAILED };
    }
    return { ok: true, passkey: { ...passkey, counter: newCounter, lastUsedAt: this.clock.now() } };
  }

  async rename(user: User, passkey: Passkey, name: string, by: AuditContext): Promise<boolean> {
    const clean = cleanName(name);
    if (!clean) return false;
    if (!(await renamePasskeyScript.run(this.redis, { keys: { passkeys: keys.passkeys(user.id) }, args: { credentialId: passkey.id, name: clean } }))) return false;
    await this.audit.recordDirectory(auditRecords.userRenamedPasskey(user, passkey, by.ip));
    return true;
  }

  /**
   * Delete a passkey, and end the sessions, grants and tokens obtained by signing in with it. With `keepLast`, refused (`'last'`) when it is the user's only passkey: the count and the
   * deletion are one atomic step, so two deletions at once cannot both see "another one is left".
   */
  async delete(user: User, passkey: Passkey, by: AuditContext): Promise<boolean>;
  async delete(user: User, passkey: Passkey, by: AuditContext, opts: { keepLast: boolean }): Promise<boolean | 'last'>;
  async delete(user: User, passkey: Passkey, by: AuditContext, opts: { keepLast: boolean } = { keepLast: false }): Promise<boolean | 'last'> {
    const [userId, credentialId] = [user.id, passkey.id];
    const outcome = await deletePasskeyScript.run(this.redis, { keys: { passkeys: keys.passkeys(userId) }, args: { credentialId, keepLast: opts.keepLast } });
    if (outcome === 'last') return 'last';
    const removed = outcome === 'deleted';
    if (removed) {
      // Only the owner's claim is released; a foreign id never reaches here (it is not in this user's hash).
      await this.redis.del(keys.credentialOwner(credentialId));
      // After the deletion: a sign-in with it indexed from now on is refused (addToPasskeyIndexScript).
      await this.revoker.revokePasskey(userId, credentialId);
      this.log.info('passkey.deleted', { userId, credentialId });
      await this.audit.recordDirectory(auditRecords.passkeyDeleted(by, user, passkey));
    }
    return removed;
  }
}

function parseJson<T>(s: string): T | undefined {
  if (!s || s.length > 64 * 1024) return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return typeof v === 'object' && v !== null ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Printable, trimmed, bounded: names are shown back to the user. */
function cleanName(name: string | undefined): string {
  return (name ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, NAME_MAX);
}
