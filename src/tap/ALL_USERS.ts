/** The group of everyone, as a TAP policy target. */
export const ALL_USERS = 'all_users';
