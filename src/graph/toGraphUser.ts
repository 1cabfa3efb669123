import type { User } from '../directory/User.js';

/** A user in the shape of Graph's user resource (plus our roles and groups). Never the password hash. */
export function toGraphUser(u: User): Record<string, unknown> {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    userType: u.userType,
    guestOrigin: u.guestOrigin ?? null,
    createdDateTime: u.createdDateTime,
    accountEnabled: u.accountEnabled !== false,
    roles: u.roles,
    groups: u.groups,
  };
}
