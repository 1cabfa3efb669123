import { availableParallelism } from 'node:os';
import type { User } from '../../directory/User.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../directory/passwordHash.js';
import type { AuthMethod, MethodFailure, MethodStep, MethodSuccess, StepContext } from '../AuthMethod.js';
import { HashGate } from './HashGate.js';
import type { MessageRef } from '../../i18n/MessageRef.js';
import { msg } from '../../i18n/msg.js';

export const PASSWORD_INVALID: MessageRef = msg('password.error.invalid');
export const PASSWORD_BUSY: MessageRef = msg('password.error.busy');

/** Hashes at once: half the cores at most (one on a two-core machine), leaving the rest to everything else. */
const HASH_CONCURRENCY = Math.max(1, Math.floor(availableParallelism() / 2));
/** Posts waiting for a hash: a few hundred milliseconds at most, then "busy". */
const HASH_QUEUE = 8;

/**
 * Sign in with a password. Unknown identifiers get this step too, and pay for a hash, so that the pages do
 * not tell who has an account; the hashing is bounded per address (`rateLimits.passwordPerAddress`) and in all
 * (HashGate), so that a flood of posts cannot take the CPU from other sign-ins.
 */
export class PasswordMethod implements AuthMethod {
  readonly name = 'password';
  readonly acr = 'pwd';
  readonly bootstrapsPasskey = false;
  readonly identifiesUser = false;
  readonly addressLimit = 'passwordPerAddress';
  readonly hashes = new HashGate(HASH_CONCURRENCY, HASH_QUEUE);

  async isAvailable(user: User | undefined): Promise<boolean> {
    return user === undefined || user.passwordHash !== undefined;
  }

  async render(step: StepContext, error?: MessageRef): Promise<MethodStep> {
    return {
      view: 'password',
      locals: {
        title: msg('password.title'),
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
    const ok = await this.hashes.run(() => verifyPassword(password.slice(0, 1024), user?.passwordHash ?? DUMMY_PASSWORD_HASH));
    if (ok === undefined) return { ok: false, error: PASSWORD_BUSY, status: 503, unchecked: true };
    if (!ok || !user?.passwordHash) return { ok: false, error: PASSWORD_INVALID };
    return { ok: true, accountId: user.id, amr: ['pwd'], acr: 'pwd' };
  }
}
