import type { User } from './User.js';
import type { DirectoryUser } from './UserDirectory.js';

/** When a directory gives no creation time: the Unix epoch, so that the field is always a date. */
const UNKNOWN_CREATION = '1970-01-01T00:00:00.000Z';

/**
 * A directory's user as the rest of the product reads it: the optional fields filled with their defaults (a
 * member, no roles, no groups), so that a host directory may give only id, name and display name. A complete
 * record (the Redis directory's) comes back with its fields in the same order, so that its JSON is unchanged:
 * the Redis directory's compare-and-set compares the JSON of what was read.
 */
export function toUser(d: DirectoryUser): User {
  const userType = d.userType ?? 'Member';
  return {
    ...d,
    userType,
    ...(userType === 'Guest' ? { guestOrigin: d.guestOrigin ?? 'internal' } : {}),
    roles: d.roles ?? [],
    groups: d.groups ?? [],
    createdDateTime: d.createdDateTime ?? UNKNOWN_CREATION,
  };
}
