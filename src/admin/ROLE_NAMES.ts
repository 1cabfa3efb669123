import type { Role } from '../directory/Role.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** Each role as the console names it. */
export const ROLE_NAMES: Record<Role, MessageRef> = {
  GlobalAdministrator: msg('admin.role.GlobalAdministrator'),
  PrivilegedAuthenticationAdministrator: msg('admin.role.PrivilegedAuthenticationAdministrator'),
  AuthenticationAdministrator: msg('admin.role.AuthenticationAdministrator'),
  AuthenticationPolicyAdministrator: msg('admin.role.AuthenticationPolicyAdministrator'),
  GlobalReader: msg('admin.role.GlobalReader'),
};
