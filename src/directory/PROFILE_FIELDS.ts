import type { UserProfile } from './UserProfile.js';

/** The fields of `UserProfile`, in the order Graph lists them. */
export const PROFILE_FIELDS: readonly (keyof UserProfile)[] = ['mail', 'givenName', 'surname', 'jobTitle', 'department', 'employeeId'];
