import type { AuditContext } from '../audit/AuditContext.js';
import type { User } from '../directory/User.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/msg.js';
import type { Caller } from './Caller.js';
import { requireRoleAuthority } from './requireRoleAuthority.js';
import type { UserWriteDeps } from './UserWriteDeps.js';

/**
 * Delete a user, for the admin API and the console: never oneself, an administrator only by a Global
 * Administrator; every session, grant and token of theirs ends, their TAP and passkeys are deleted, then they are.
 */
export async function deleteUser(deps: UserWriteDeps, caller: Caller, user: User, by: AuditContext): Promise<void> {
  if (caller.kind === 'user' && caller.user.id === user.id) throw new ForbiddenError('You cannot delete your own account.', msg('admin.refusal.selfDelete'));
  if (user.roles.length) requireRoleAuthority(caller, 'Deleting an administrator');
  await deps.revoker.revokeAccount(user.id);
  // Each credential's deletion is recorded (and so sent as a security event), then the user's.
  await deps.taps.delete(user, undefined, by).catch((e: unknown) => {
    if (!(e instanceof NotFoundError)) throw e;
  });
  for (const p of await deps.passkeys.list(user.id)) await deps.passkeys.delete(user, p, by);
  await deps.directory.delete(user, by);
}
