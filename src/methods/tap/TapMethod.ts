import { UNKNOWN_USER } from '../../directory/unknownUser.js';
import type { User } from '../../directory/User.js';
import type { TapService } from '../../tap/TapService.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';
import type { MessageRef } from '../../i18n/MessageRef.js';
import { msg } from '../../i18n/msg.js';

/** The one message for every refusal that must reveal nothing (wrong, expired, used up, not yet valid…). */
export const TAP_INVALID: MessageRef = msg('tap.error.invalid');
/** The TAP is locked (for this network, or for every one): trying again cannot help, a new TAP or an unlock can. */
export const TAP_LOCKED: MessageRef = msg('tap.error.locked');
/** The right passcode, but policy (or its one-time use) blocks it: the message Entra users know. */
export const TAP_BLOCKED: MessageRef = msg('tap.error.blocked');
/** The right passcode of an administrator's TAP that a second administrator has not approved yet (the two-person rule). */
export const TAP_PENDING: MessageRef = msg('tap.error.pendingApproval');

/** Sign in with a Temporary Access Pass instead of a password or a federated redirect. */
export class TapMethod implements AuthMethod {
  readonly name = 'tap';
  readonly acr = 'mfa';
  readonly bootstrapsPasskey = true;
  readonly identifiesUser = false;

  constructor(private readonly taps: TapService) {}

  async isAvailable(user: User | undefined): Promise<boolean> {
    // An unknown name is looked up too, as nobody's: the same reads as for a user without a TAP.
    // A TAP waiting for approval is asked for too, so that its holder learns why it does not work yet.
    const tap = await this.taps.signInTap(user ?? UNKNOWN_USER);
    return user !== undefined && tap !== undefined;
  }

  readAhead(userId: string): void {
    this.taps.readAhead(userId).catch(() => undefined);
  }

  async render(step: StepContext, error?: MessageRef): Promise<MethodStep> {
    return {
      view: 'tap',
      locals: {
        title: msg('tap.title'),
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

  async verify(user: User | undefined, form: Record<string, string>, _interactionId: string, ip = ''): Promise<MethodSuccess | MethodFailure> {
    const passcode = (form.tap ?? '').trim();
    if (passcode.length === 0) return { ok: false, error: TAP_INVALID, reason: user ? 'EmptyPasscode' : 'UnknownUser' };
    // An unknown name is checked all the same (against stand-ins), so that it answers as slowly and as truly.
    const result = await this.taps.verify(user, form.username ?? '', passcode, ip);
    // A stand-in never matches, so a success always has its user.
    if (result.ok && user) {
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
    if (result.ok) return { ok: false, error: TAP_INVALID, reason: 'UnknownUser' };
    const reason = !user && result.reason === 'NoTap' ? 'UnknownUser' : result.reason;
    const why = { reason, lockedNow: result.lockedNow, ...(result.tapId ? { credentialId: result.tapId } : {}) };
    if (result.outcome === 'blocked') return { ok: false, error: result.reason === 'PendingApproval' ? TAP_PENDING : TAP_BLOCKED, ...why };
    if (result.outcome === 'locked' || result.outcome === 'networkLocked') return { ok: false, error: TAP_LOCKED, ...why };
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    // Refused unchecked: say only how long is left, which is the whole truth about it.
    if (result.outcome === 'throttled') return { ok: false, status: 429, error: msg('tap.error.throttled', { seconds }), retryAfterSeconds: seconds, ...why };
    // Checked and wrong, and this failure starts a wait: say so now rather than at the next try.
    if (seconds > 0) return { ok: false, error: msg('tap.error.invalidWait', { seconds }), retryAfterSeconds: seconds, ...why };
    return { ok: false, error: TAP_INVALID, ...why };
  }
}
