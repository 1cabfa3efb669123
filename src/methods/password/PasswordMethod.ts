import type { User } from '../../directory/User.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../directory/passwordHash.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';

export const PASSWORD_INVALID = 'Your account or password is incorrect.';

/**
 * Sign in with a password. Unknown identifiers get this step too, and pay for a hash, so that the pages do
 * not tell who has an account.
 */
export class PasswordMethod implements AuthMethod {
  readonly name = 'password';
  readonly acr = 'pwd';
  readonly bootstrapsPasskey = false;
  readonly identifiesUser = false;

  async isAvailable(user: User | undefined): Promise<boolean> {
    return user === undefined || user.passwordHash !== undefined;
  }

  async render(step: StepContext, error?: string): Promise<MethodStep> {
    return {
      view: 'password',
      locals: {
        title: 'Enter your password',
        action: step.action,
        username: step.username,
        error: error ?? null,
        clientName: step.clientName,
        passkeyHref: step.alternatives.passkey ?? null,
        backHref: step.backHref,
      },
    };
  }

  async verify(user: User | undefined, form: Record<string, string>): Promise<MethodSuccess | MethodFailure> {
    const password = form.password ?? '';
    const ok = await verifyPassword(password.slice(0, 1024), user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!ok || !user?.passwordHash) return { ok: false, error: PASSWORD_INVALID };
    return { ok: true, accountId: user.id, amr: ['pwd'], acr: 'pwd' };
  }
}
