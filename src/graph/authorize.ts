import type { Role } from '../directory/Role.js';
import type { User } from '../directory/User.js';
import { ForbiddenError } from '../errors.js';
import { msg } from '../i18n/msg.js';
import type { Caller } from './Caller.js';

/** What an operation needs. */
export type Right =
  | 'user.read'
  | 'user.write'
  | 'tap.read'
  | 'tap.write'
  | 'methods.read'
  | 'methods.write'
  | 'sessions.revoke'
  | 'policy.read'
  | 'policy.write'
  | 'audit.read'
  /** The signed-in user's own methods, at /me: no role needed. */
  | 'me.read'
  | 'me.write';

/** The Graph permissions (application) or scopes (delegated) that carry each right. */
const PERMISSIONS_FOR: Record<Right, readonly string[]> = {
  'user.read': ['User.ReadWrite.All', 'UserAuthMethod-TAP.Read.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  'user.write': ['User.ReadWrite.All'],
  'tap.read': ['UserAuthMethod-TAP.Read.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  'tap.write': ['UserAuthMethod-TAP.ReadWrite.All'],
  'methods.read': ['UserAuthMethod-TAP.Read.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  'methods.write': ['UserAuthMethod-TAP.ReadWrite.All'],
  'sessions.revoke': ['User.ReadWrite.All'],
  'policy.read': ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'],
  'policy.write': ['Policy.ReadWrite.AuthenticationMethod'],
  'audit.read': ['AuditLog.Read.All'],
  // The admin scopes for methods cover one's own too, as in Graph.
  'me.read': ['UserAuthenticationMethod.Read', 'UserAuthenticationMethod.ReadWrite', 'UserAuthMethod-TAP.Read.All', 'UserAuthMethod-TAP.ReadWrite.All'],
  'me.write': ['UserAuthenticationMethod.ReadWrite', 'UserAuthMethod-TAP.ReadWrite.All'],
};

const SELF_RIGHTS: ReadonlySet<Right> = new Set(['me.read', 'me.write']);

/** What each role may do (docs/rules.md, "Roles"); limits on whose methods are checked in `authorize`. */
const ROLE_RIGHTS: Record<Role, readonly Right[]> = {
  GlobalAdministrator: ['user.read', 'user.write', 'tap.read', 'tap.write', 'methods.read', 'methods.write', 'sessions.revoke', 'policy.read', 'policy.write', 'audit.read'],
  PrivilegedAuthenticationAdministrator: ['user.read', 'tap.read', 'tap.write', 'methods.read', 'methods.write', 'sessions.revoke'],
  AuthenticationAdministrator: ['user.read', 'tap.read', 'tap.write', 'methods.read', 'methods.write', 'sessions.revoke'],
  AuthenticationPolicyAdministrator: ['policy.read', 'policy.write'],
  GlobalReader: ['user.read', 'tap.read', 'methods.read', 'policy.read', 'audit.read'],
};

/** Rights that act on one user's authentication methods, where whose methods matters. */
const METHOD_RIGHTS: ReadonlySet<Right> = new Set(['tap.read', 'tap.write', 'methods.read', 'methods.write', 'sessions.revoke']);

const isAdmin = (u: User) => u.roles.length > 0;

/**
 * Allow or throw ForbiddenError with a message that says why. `target` is the user acted on, when there is
 * one; without it, whether the caller may do this to anyone at all (decided before a target is looked up, see
 * authorizedUser). `creatingTap` marks the one thing even a global administrator may not do for themselves.
 */
export function authorize(caller: Caller, right: Right, target?: User, creatingTap = false): void {
  const accepted = PERMISSIONS_FOR[right];
  if (caller.kind === 'app') {
    if (!accepted.some((p) => caller.permissions.has(p))) {
      throw new ForbiddenError(`This application needs one of these permissions: ${accepted.join(', ')}.`, msg('admin.refusal.role'));
    }
    return;
  }
  const { user, scopes } = caller;
  if (!accepted.some((p) => scopes.has(p))) {
    throw new ForbiddenError(`The access token was not granted one of these scopes: ${accepted.join(', ')}.`, msg('admin.refusal.role'));
  }
  if (SELF_RIGHTS.has(right)) return;
  const roles = user.roles.filter((r) => ROLE_RIGHTS[r].includes(right));
  if (roles.length === 0) throw new ForbiddenError('Your role does not allow this operation.', msg('admin.refusal.role'));
  if (!target || !METHOD_RIGHTS.has(right)) return;
  const self = target.id === user.id;
  if (self && creatingTap) {
    throw new ForbiddenError('You cannot create a Temporary Access Pass for yourself; ask another administrator.', msg('admin.refusal.selfTap'));
  }
  if (roles.includes('GlobalAdministrator') || roles.includes('GlobalReader')) return;
  if (self) throw new ForbiddenError('Your role does not allow you to manage your own authentication methods here; use /me or your security info page.', msg('admin.refusal.selfMethods'));
  if (roles.includes('PrivilegedAuthenticationAdministrator')) return;
  // An AuthenticationAdministrator: only users who hold no administrative role.
  if (isAdmin(target)) throw new ForbiddenError('An Authentication Administrator cannot manage the authentication methods of an administrator.', msg('admin.refusal.adminTarget'));
}
