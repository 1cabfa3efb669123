import { UNKNOWN_USER } from '../../directory/unknownUser.js';
import type { User } from '../../directory/User.js';
import type { TapService } from '../../tap/TapService.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';

/** The one message for every refusal that must reveal nothing (wrong, expired, used up, locked…). */
export const TAP_INVALID = 'That Temporary Access Pass did not work. Check it and try again, or ask your administrator for a new one.';
/** The right passcode, but policy (or its one-time use) blocks it: the message Entra users know. */
export const TAP_BLOCKED = 'Temporary Access Pass sign in was blocked due to User Credential Policy';

/** Sign in with a Temporary Access Pass instead of a password or a federated redirect. */
export class TapMethod implements AuthMethod {
  readonly name = 'tap';
  readonly acr = 'mfa';
  readonly bootstrapsPasskey = true;
  readonly identifiesUser = false;

  constructor(private readonly taps: TapService) {}

  async isAvailable(user: User | undefined): Promise<boolean> {
    // An unknown name is looked up too, as nobody's: the same reads as for a user without a TAP.
    const tap = await this.taps.usableTap(user ?? UNKNOWN_USER);
    return user !== undefined && tap !== undefined;
  }

  async render(step: StepContext, error?: string): Promise<MethodStep> {
    return {
      view: 'tap',
      locals: {
        title: 'Enter your Temporary Access Pass',
        action: step.action,
        username: step.username,
        error: error ?? null,
        clientName: step.clientName,
        passwordHref: step.alternatives.password ?? null,
        passkeyHref: step.alternatives.passkey ?? null,
        federationHref: step.alternatives.federation ?? null,
        backHref: step.backHref,
      },
    };
  }

  async verify(user: User | undefined, form: Record<string, string>): Promise<MethodSuccess | MethodFailure> {
    const passcode = (form.tap ?? '').trim();
    if (!user || passcode.length === 0) return { ok: false, error: TAP_INVALID, reason: user ? 'EmptyPasscode' : 'UnknownUser' };
    const result = await this.taps.verify(user, passcode);
    if (result.ok) {
      return {
        ok: true,
        accountId: user.id,
        amr: ['tap', 'mfa'],
        acr: 'mfa',
        capAt: result.endMs,
        tapId: result.tapId,
        enrol: { once: result.once },
      };
    }
    const why = { reason: result.reason, lockedNow: result.lockedNow, ...(result.tapId ? { credentialId: result.tapId } : {}) };
    if (result.outcome === 'blocked') return { ok: false, error: TAP_BLOCKED, ...why };
    if (result.outcome === 'throttled') {
      const seconds = Math.ceil(result.retryAfterMs / 1000);
      return {
        ok: false,
        status: 429,
        error: `Too many attempts. Wait ${seconds} second${seconds === 1 ? '' : 's'} before you try again.`,
        ...why,
      };
    }
    return { ok: false, error: TAP_INVALID, ...why };
  }
}
