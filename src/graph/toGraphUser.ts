import { PROFILE_FIELDS } from '../directory/PROFILE_FIELDS.js';
import type { User } from '../directory/User.js';

/**
 * A user in the shape of Graph's user resource: absent profile fields as null, `accountEnabled` true unless set
 * false, and `guestOrigin` (oidc-tap's). Roles and groups are at `/users/{id}/memberOf`, as in Graph. Never the
 * password hash.
 */
export function toGraphUser(u: User): Record<string, unknown> {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, u[f] ?? null])),
    accountEnabled: u.accountEnabled !== false,
    userType: u.userType,
    createdDateTime: u.createdDateTime,
    guestOrigin: u.guestOrigin ?? null,
  };
}
