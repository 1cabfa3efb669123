/** Administrative roles (docs/rules.md, "Roles"). */
export const ROLES = [
  'GlobalAdministrator',
  'PrivilegedAuthenticationAdministrator',
  'AuthenticationAdministrator',
  'AuthenticationPolicyAdministrator',
  'GlobalReader',
] as const;
export type Role = (typeof ROLES)[number];
