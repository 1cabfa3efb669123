import type { User } from './User.js';

/**
 * Who an unknown name is looked up as: a user that is never stored (the nil UUID is never generated). Reading
 * its records where a known user's are read gives an unknown name the same Redis work, and so the same time, as
 * a known one, so that the sign-in pages do not tell who has an account.
 */
export const UNKNOWN_USER: Readonly<User> = Object.freeze({
  id: '00000000-0000-0000-0000-000000000000',
  userPrincipalName: '',
  displayName: '',
  userType: 'Member',
  roles: [],
  groups: [],
  createdDateTime: '1970-01-01T00:00:00.000Z',
});
