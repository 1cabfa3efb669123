import type { Users } from '../../directory/Users.js';
import { UNKNOWN_USER } from '../../directory/unknownUser.js';
import type { User } from '../../directory/User.js';
import type { Passkey } from '../../passkeys/Passkey.js';
import { PASSKEY_UNKNOWN, type PasskeyService } from '../../passkeys/PasskeyService.js';
import type { IdentifierView } from '../../http/views/IdentifierView.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';
import type { MessageRef } from '../../i18n/MessageRef.js';
import { msg } from '../../i18n/msg.js';

/** RFC 8176: a synced passkey's key lives in software it was copied to; a device-bound one in hardware. */
export function passkeyAmr(p: Passkey): string[] {
  return [p.deviceType === 'multiDevice' ? 'swk' : 'hwk', 'user', 'mfa'];
}

/** Challenges of a sign-in are bound to its interaction. */
export const signInPurpose = (interactionId: string) => `auth:${interactionId}`;

/** Sign in with a passkey: after the identifier, or username-less from the identifier page. */
export class PasskeyMethod implements AuthMethod {
  readonly name = 'passkey';
  readonly acr = 'phr';
  readonly bootstrapsPasskey = false;
  readonly identifiesUser = true;

  constructor(
    private readonly passkeys: PasskeyService,
    private readonly directory: Users,
  ) {}

  readAhead(userId: string): void {
    this.passkeys.count(userId).catch(() => undefined);
  }

  async isAvailable(user: User | undefined): Promise<boolean> {
    // An unknown name is counted too, as nobody's: the same read as for a user without a passkey.
    const count = await this.passkeys.count((user ?? UNKNOWN_USER).id);
    return user !== undefined && count > 0;
  }

  /**
   * The same username-less prompt (no `allowCredentials`) whoever was named: listing the named user's credential
   * ids would hand them, and the fact that the account exists, to anyone who types the name. `verify` then
   * accepts only a passkey of the named user.
   */
  async render(step: StepContext, error?: MessageRef): Promise<MethodStep> {
    const options = await this.passkeys.authenticationOptions(signInPurpose(step.interactionId));
    return {
      view: 'passkey',
      locals: {
        title: msg('passkey.title'),
        action: step.action,
        username: step.username,
        error: error ?? null,
        clientName: step.clientName,
        options: JSON.stringify(options),
        alternatives: step.alternatives,
        backHref: step.backHref,
      },
    };
  }

  async identifierExtras(interactionId: string, action: string): Promise<Partial<IdentifierView>> {
    const options = await this.passkeys.authenticationOptions(signInPurpose(interactionId));
    return { passkeyAction: action, passkeyOptions: JSON.stringify(options) };
  }

  async verify(user: User | undefined, form: Record<string, string>, interactionId: string): Promise<MethodSuccess | MethodFailure> {
    // A named user accepts only their own passkeys: another account's is refused as an unregistered one is. A
    // named but unknown user must not fall through to "any passkey will do": nobody's passkeys are expected.
    const named = (form.username ?? '').trim() !== '';
    const result = await this.passkeys.authenticate(signInPurpose(interactionId), form.response ?? '', named ? (user ?? UNKNOWN_USER).id : undefined);
    if (!result.ok) return result;
    const owner = await this.directory.findById(result.passkey.userId);
    if (!owner) return { ok: false, error: PASSKEY_UNKNOWN };
    return { ok: true, accountId: owner.id, amr: passkeyAmr(result.passkey), acr: 'phr', passkeyId: result.passkey.id, passkey: { aaguid: result.passkey.aaguid, name: result.passkey.name } };
  }
}
