import type { Clock } from '../Clock.js';
import type { MethodSuccess } from '../methods/AuthMethod.js';
import type { Passkey } from '../passkeys/Passkey.js';
import { Revoker } from '../revocation/Revoker.js';
import { addToIndexScript } from '../store/addToIndexScript.js';
import { compareAndDeleteScript } from '../store/compareAndDeleteScript.js';
import { compareAndSetScript } from '../store/compareAndSetScript.js';
import type { Store } from '../store/connectRedis.js';
import { indexUnderTap } from '../store/indexUnderTap.js';
import { keys } from '../store/keys.js';

/** A TAP sign-in held back until the user has registered (and confirmed) a passkey. */
export interface PendingLogin {
  login: MethodSuccess;
  /** The TAP was one-time: registration has a window and cannot be skipped. */
  once: boolean;
  signedInAt: number;
  /**
   * The passkey registered in this sign-in, kept here (not yet the user's) until a sign-in with it confirms it:
   * only then is it stored, in one atomic step with a check of the TAP (see `PasskeyService.storeUnderTap`).
   */
  passkey?: Passkey;
}

/**
 * What Redis holds for an interaction: a sign-in still under way (with the exact value read, for the
 * compare-and-set steps), or the marker left when its TAP was deleted or replaced, or the account's sessions
 * revoked (`Revoker`).
 */
export type PendingRecord = { ended: false; pending: PendingLogin; raw: string } | { ended: true };

/** Docs: a one-time TAP's registration must finish within 10 minutes of the sign-in. */
export const REGISTRATION_WINDOW_MS = 10 * 60_000;
/** As long as an interaction lives (oidc-provider's Interaction TTL). */
const PENDING_TTL_MS = 3600_000;

/**
 * TAP sign-ins under way, by interaction, in Redis. Each is indexed like a session, under its account and under
 * its TAP, so that deleting or replacing the TAP, revoking the account's sessions or deleting the user ends it.
 * A one-time TAP's registration window is this sign-in's own key, keyed by the interaction and the TAP.
 */
export class PendingLogins {
  constructor(
    private readonly redis: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Hold a TAP sign-in for its passkey. False when its TAP was deleted or replaced since it was checked: the
   * sign-in is then ended before it began.
   */
  async begin(interactionId: string, login: MethodSuccess, once: boolean): Promise<boolean> {
    const now = this.clock.now();
    const pending: PendingLogin = { login, once, signedInAt: now };
    const key = keys.pendingLogin(interactionId);
    const member = `Pending:${interactionId}`;
    const expiresAt = now + PENDING_TTL_MS;
    const tapId = login.tapId ?? '';
    // All at once (one round trip): if the TAP's index refuses, what was written beside it is taken back below.
    const [, , , indexed] = await Promise.all([
      this.redis.set(key, JSON.stringify(pending), 'PXAT', expiresAt),
      // The window has its own key and expiry; its value is the end by our clock, which tests can move.
      once ? this.redis.set(keys.registrationWindow(interactionId, tapId), String(now + REGISTRATION_WINDOW_MS), 'PX', REGISTRATION_WINDOW_MS) : undefined,
      addToIndexScript.run(this.redis, { keys: { set: keys.accountIndex(login.accountId) }, args: { member, expiresAtMs: expiresAt } }),
      indexUnderTap(this.redis, login.accountId, tapId, member, expiresAt),
    ]);
    if (indexed) return true;
    await this.end(interactionId, pending);
    return false;
  }

  async get(interactionId: string): Promise<PendingRecord | undefined> {
    const raw = await this.redis.get(keys.pendingLogin(interactionId));
    if (!raw) return undefined;
    if (raw === Revoker.endedSignIn) return { ended: true };
    return { ended: false, pending: JSON.parse(raw) as PendingLogin, raw };
  }

  /** Keep the registered passkey with the sign-in; false when the sign-in was ended meanwhile. */
  async attachPasskey(interactionId: string, read: { raw: string; pending: PendingLogin }, passkey: Passkey): Promise<boolean> {
    const next = JSON.stringify({ ...read.pending, passkey });
    return compareAndSetScript.run(this.redis, { keys: { key: keys.pendingLogin(interactionId) }, args: { expected: read.raw, next } });
  }

  /**
   * Take the sign-in to finish it: exactly once, and only if it was not ended (its TAP deleted, replaced, the
   * sessions revoked) since it was read. Its window goes with it.
   */
  async take(interactionId: string, read: { raw: string; pending: PendingLogin }): Promise<boolean> {
    const taken = await compareAndDeleteScript.run(this.redis, { keys: { key: keys.pendingLogin(interactionId) }, args: { expected: read.raw } });
    // At once, not with the request's later writes: a TAP deleted next in the same request (deleteTapAfterPasskey)
    // would otherwise still find this sign-in in its index and end it.
    if (taken) await this.forget(interactionId, read.pending);
    return taken;
  }

  /** Ms left in the registration window of a one-time TAP sign-in (0 when closed); Infinity when none applies. */
  async windowLeft(interactionId: string, pending: PendingLogin): Promise<number> {
    if (!pending.once) return Infinity;
    const end = await this.redis.get(keys.registrationWindow(interactionId, pending.login.tapId ?? ''));
    return end ? Math.max(0, Number(end) - this.clock.now()) : 0;
  }

  /** Mark the sign-in ended (its TAP ran out or stopped carrying it), so that its next step says so. */
  async markEnded(interactionId: string, pending: PendingLogin): Promise<void> {
    await Promise.all([
      this.redis.set(keys.pendingLogin(interactionId), Revoker.endedSignIn, 'KEEPTTL', 'XX'),
      this.redis.del(keys.registrationWindow(interactionId, pending.login.tapId ?? '')),
    ]);
  }

  /** Forget the sign-in (the person cancelled or starts over). */
  async end(interactionId: string, pending?: PendingLogin): Promise<void> {
    await Promise.all([this.redis.del(keys.pendingLogin(interactionId)), pending ? this.forget(interactionId, pending) : undefined]);
  }

  /** Its window, and its place in the indexes, once the sign-in is over: an index keeps only what can be revoked. */
  private async forget(interactionId: string, pending: PendingLogin): Promise<void> {
    const { accountId, tapId = '' } = pending.login;
    const member = `Pending:${interactionId}`;
    // Two hash tags, so separate commands (Redis Cluster); pipelined anyway.
    await Promise.all([
      this.redis.del(keys.registrationWindow(interactionId, tapId)),
      this.redis.srem(keys.accountIndex(accountId), member),
      this.redis.srem(keys.tapIndex(accountId, tapId), member),
    ]);
  }
}
