/**
 * The descriptive fields of Graph's user resource that this product stores and returns but never acts on: each
 * optional, absent meaning Graph's `null`. `PROFILE_FIELDS` lists them for the admin API, seeds and LDAP.
 */
export interface UserProfile {
  mail?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  department?: string;
  employeeId?: string;
}
