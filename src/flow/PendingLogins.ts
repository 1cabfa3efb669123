import type { Clock } from '../Clock.js';
import type { MethodSuccess } from '../methods/AuthMethod.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';

/** A TAP sign-in held back until the user has registered (and confirmed) a passkey. */
export interface PendingLogin {
  login: MethodSuccess;
  /** The TAP was one-time: registration has a window and cannot be skipped. */
  once: boolean;
  signedInAt: number;
  /** Set once registration succeeded: the credential the confirming sign-in must use. */
  passkeyId?: string;
}

/** Behaviour.md: a one-time TAP's registration must finish within 10 minutes of the sign-in. */
export const REGISTRATION_WINDOW_MS = 10 * 60_000;
/** As long as an interaction lives (oidc-provider's Interaction TTL). */
const PENDING_TTL_MS = 3600_000;

/** Pending logins by interaction, and the one-time registration window by user, in Redis. */
export class PendingLogins {
  constructor(
    private readonly redis: Store,
    private readonly clock: Clock,
  ) {}

  async begin(interactionId: string, login: MethodSuccess, once: boolean): Promise<void> {
    const now = this.clock.now();
    const pending: PendingLogin = { login, once, signedInAt: now };
    await this.redis.set(keys.pendingLogin(interactionId), JSON.stringify(pending), 'PX', PENDING_TTL_MS);
    if (once) {
      // The window has its own key and expiry; its value is the end by our clock, which tests can move.
      await this.redis.set(keys.registrationWindow(login.accountId), String(now + REGISTRATION_WINDOW_MS), 'PX', REGISTRATION_WINDOW_MS);
    }
  }

  async get(interactionId: string): Promise<PendingLogin | undefined> {
    const raw = await this.redis.get(keys.pendingLogin(interactionId));
    return raw ? (JSON.parse(raw) as PendingLogin) : undefined;
  }

  async save(interactionId: string, pending: PendingLogin): Promise<void> {
    await this.redis.set(keys.pendingLogin(interactionId), JSON.stringify(pending), 'PX', PENDING_TTL_MS);
  }

  /** Ms left in the registration window of a one-time TAP sign-in (0 when closed); Infinity when none applies. */
  async windowLeft(pending: PendingLogin): Promise<number> {
    if (!pending.once) return Infinity;
    const end = await this.redis.get(keys.registrationWindow(pending.login.accountId));
    return end ? Math.max(0, Number(end) - this.clock.now()) : 0;
  }

  async end(interactionId: string, accountId: string): Promise<void> {
    // Two hash tags, so two commands (Redis Cluster); pipelined anyway.
    await Promise.all([this.redis.del(keys.pendingLogin(interactionId)), this.redis.del(keys.registrationWindow(accountId))]);
  }
}
