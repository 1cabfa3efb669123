import type { User } from '../directory/User.js';
import { requiresPhr } from './loadInteraction.js';
import type { Details } from './LoginCompleter.js';
import type { PendingLogin } from './PendingLogins.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';

/** Skipping is for a multi-use TAP that is still good, and never when the client demands a passkey. */
export async function canSkipRegistration(deps: RegistrationRouterDeps, d: Details, p: PendingLogin, user: User): Promise<boolean> {
  if (p.once || requiresPhr(d)) return false;
  const tap = await deps.taps.usableTap(user);
  return tap !== undefined && tap.id === p.login.tapId;
}
