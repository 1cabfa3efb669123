import type { Role } from '../directory/Role.js';
import type { User } from '../directory/User.js';

/** Entra ID's fixed template id and display name of each role (the same in every tenant). */
const DIRECTORY_ROLES: Record<Role, { roleTemplateId: string; displayName: string }> = {
  GlobalAdministrator: { roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator' },
  PrivilegedAuthenticationAdministrator: { roleTemplateId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', displayName: 'Privileged Authentication Administrator' },
  AuthenticationAdministrator: { roleTemplateId: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', displayName: 'Authentication Administrator' },
  AuthenticationPolicyAdministrator: { roleTemplateId: '0526716b-113d-4c15-b2c8-68e3c22b9f80', displayName: 'Authentication Policy Administrator' },
  GlobalReader: { roleTemplateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', displayName: 'Global Reader' },
};

/**
 * A user's roles and groups as Graph's `memberOf` lists them: directory roles (id = the role's template id, since
 * roles here are not per-tenant objects) and groups (id = the group's name, since groups here are names only).
 */
export function toMemberOf(u: User): Record<string, unknown>[] {
  return [
    ...u.roles.map((r) => ({ '@odata.type': '#microsoft.graph.directoryRole', id: DIRECTORY_ROLES[r].roleTemplateId, displayName: DIRECTORY_ROLES[r].displayName, roleTemplateId: DIRECTORY_ROLES[r].roleTemplateId, description: null })),
    ...u.groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', id: g, displayName: g, roleTemplateId: null, description: null })),
  ];
}
