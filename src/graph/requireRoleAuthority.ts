import { ForbiddenError } from '../errors.js';
import { msg } from '../i18n/msg.js';
import type { Caller } from './Caller.js';

/**
 * Administrative roles are given, taken and their holders changed or deleted only by a signed-in Global
 * Administrator: an application with User.ReadWrite.All (an HR feed) must not be able to mint an administrator.
 */
export function requireRoleAuthority(c: Caller, what: string): void {
  if (c.kind === 'user' && c.user.roles.includes('GlobalAdministrator')) return;
  throw new ForbiddenError(`${what} needs a Global Administrator signed in (a delegated token), not ${c.kind === 'app' ? 'an application' : 'your role'}.`, msg('admin.refusal.globalAdminOnly'));
}
