import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../audit/AuditContext.js';
import { hashPassword } from '../directory/passwordHash.js';
import type { User } from '../directory/User.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { Caller } from './Caller.js';
import { requireRoleAuthority } from './requireRoleAuthority.js';
import type { UserFields } from './UserFields.js';
import type { UserWriteDeps } from './UserWriteDeps.js';

/** Create a user (HR provisioning), for the admin API and the console: the same checks, the same record. */
export async function createUser(deps: UserWriteDeps, caller: Caller, b: UserFields & { userPrincipalName: string; displayName: string }, by: AuditContext): Promise<User> {
  if (b.roles?.length) requireRoleAuthority(caller, 'Creating a user with administrative roles');
  if (b.guestOrigin && (b.userType ?? 'Member') !== 'Guest') throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
  const id = randomUUID();
  if (!(await deps.directory.claimUpn(b.userPrincipalName, id))) {
    throw new ConflictError('Another object with the same value for property userPrincipalName already exists.');
  }
  const user: User = {
    id,
    userPrincipalName: b.userPrincipalName,
    displayName: b.displayName,
    userType: b.userType ?? 'Member',
    ...(b.userType === 'Guest' ? { guestOrigin: b.guestOrigin ?? 'internal' } : {}),
    roles: [...new Set(b.roles ?? [])],
    groups: [...new Set(b.groups ?? [])],
    createdDateTime: new Date(deps.clock.now()).toISOString(),
    ...(b.passwordProfile ? { passwordHash: await hashPassword(b.passwordProfile.password) } : {}),
    ...(b.accountEnabled !== undefined ? { accountEnabled: b.accountEnabled } : {}),
  };
  await deps.directory.create(user, by);
  return user;
}
