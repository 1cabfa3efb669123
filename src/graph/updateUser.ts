import type { AuditContext } from '../audit/AuditContext.js';
import type { User } from '../directory/User.js';
import { PROFILE_FIELDS } from '../directory/PROFILE_FIELDS.js';
import { BadRequestError } from '../errors.js';
import type { Caller } from './Caller.js';
import { requireRoleAuthority } from './requireRoleAuthority.js';
import { resolveUser } from './resolveUser.js';
import type { UserFields } from './UserFields.js';
import { UPN_TAKEN } from './UPN_TAKEN.js';
import type { UserWriteDeps } from './UserWriteDeps.js';

/** One attempt at a user update: the record before and after, or undefined when the user changed meanwhile (try again). */
async function updatedUser(deps: UserWriteDeps, caller: Caller, idOrUpn: string, b: UserFields, by: AuditContext): Promise<{ previous: User; next: User } | undefined> {
  const user = await resolveUser(deps, idOrUpn);
  const rolesChange = b.roles !== undefined && [...new Set(b.roles)].sort().join() !== [...user.roles].sort().join();
  if (rolesChange) requireRoleAuthority(caller, 'Changing administrative roles');
  else if (user.roles.length) requireRoleAuthority(caller, 'Changing an administrator');
  const next: User = { ...user };
  let claimed: string | undefined;
  if (b.displayName !== undefined) next.displayName = b.displayName;
  if (b.userType !== undefined) next.userType = b.userType;
  if (b.roles !== undefined) next.roles = [...new Set(b.roles)];
  if (b.groups !== undefined) next.groups = [...new Set(b.groups)];
  for (const f of PROFILE_FIELDS) {
    const v = b[f];
    if (v === null) delete next[f];
    else if (v !== undefined) next[f] = v;
  }
  if (b.accountEnabled === true) delete next.accountEnabled;
  else if (b.accountEnabled === false) next.accountEnabled = false;
  if (next.userType === 'Guest') next.guestOrigin = b.guestOrigin ?? user.guestOrigin ?? 'internal';
  else if (b.guestOrigin !== undefined) throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
  else delete next.guestOrigin;
  if (b.userPrincipalName !== undefined && b.userPrincipalName.toLowerCase() !== user.userPrincipalName.toLowerCase()) {
    if (!(await deps.directory.claimUpn(b.userPrincipalName, user.id))) throw new BadRequestError(UPN_TAKEN, undefined, 'Request_BadRequest');
    claimed = b.userPrincipalName;
    next.userPrincipalName = b.userPrincipalName;
  } else if (b.userPrincipalName !== undefined) {
    next.userPrincipalName = b.userPrincipalName;
  }
  if (await deps.directory.update(next, user, by)) return { previous: user, next };
  // Lost the race: give back a name claimed for this attempt (the next attempt claims it again if still wanted).
  if (claimed) await deps.directory.releaseUpn(claimed, user.id);
  return undefined;
}

/** Update a user, for the admin API and the console: the same checks, and disabling ends what they are signed in to. */
export async function updateUser(deps: UserWriteDeps, caller: Caller, idOrUpn: string, b: UserFields, by: AuditContext): Promise<User> {
  // Read, change, compare-and-set: when another update landed in between, this one is applied again on top.
  for (;;) {
    const done = await updatedUser(deps, caller, idOrUpn, b, by);
    if (!done) continue;
    // Disabled: whatever the user is signed in to ends now (with logout tokens), as revokeSignInSessions ends it.
    if (done.previous.accountEnabled !== false && done.next.accountEnabled === false) await deps.revoker.revokeAccount(done.next.id);
    return done.next;
  }
}
