import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../audit/AuditContext.js';
import { hashPassword } from '../directory/passwordHash.js';
import { pickProfile } from '../directory/pickProfile.js';
import type { User } from '../directory/User.js';
import { BadRequestError } from '../errors.js';
import type { Caller } from './Caller.js';
import { requireRoleAuthority } from './requireRoleAuthority.js';
import { UPN_TAKEN } from './UPN_TAKEN.js';
import type { UserFields } from './UserFields.js';
import type { UserWriteDeps } from './UserWriteDeps.js';

/** Create a user (HR provisioning), for the admin API and the console: the same checks, the same record. */
export async function createUser(deps: UserWriteDeps, caller: Caller, b: UserFields & { userPrincipalName: string; displayName: string }, by: AuditContext): Promise<User> {
  if (b.roles?.length) requireRoleAuthority(caller, 'Creating a user with administrative roles');
  if (b.guestOrigin && (b.userType ?? 'Member') !== 'Guest') throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
  const id = randomUUID();
  if (!(await deps.directory.claimUpn(b.userPrincipalName, id))) {
    throw new BadRequestError(UPN_TAKEN, undefined, 'Request_BadRequest');
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
    // The body is validated: a profile field is a non-empty string, or null (left out of a new user).
    ...pickProfile(b),
    ...(b.accountEnabled === false ? { accountEnabled: false } : {}),
    ...(b.passwordProfile ? { passwordHash: await hashPassword(b.passwordProfile.password) } : {}),
  };
  await deps.directory.create(user, by);
  return user;
}
