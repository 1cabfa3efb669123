import type { Context } from 'koa';
import type { User } from '../directory/User.js';
import type { AdminUserFormView } from '../http/views/AdminUserFormView.js';
import type { Text } from '../i18n/Text.js';
import { msg } from '../i18n/msg.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';
import { refusalOf } from './refusalOf.js';
import { userPath } from './userPath.js';

/** HR's user form: empty to create (`user` undefined), else the user's values; `given` re-shows a refused form. */
export function userFormView(ctx: Context, t: AdminTools, v: AdminVisit, user: User | undefined, given?: AdminUserFormView['values'], error?: Text): AdminUserFormView {
  const values = given ?? {
    userPrincipalName: user?.userPrincipalName ?? '',
    displayName: user?.displayName ?? '',
    groups: (user?.groups ?? []).join(', '),
    enabled: user ? user.accountEnabled !== false : true,
  };
  return {
    title: user ? msg('admin.userForm.editHeading', { name: user.displayName }) : msg('admin.userForm.createHeading'),
    nav: adminNav(ctx, v, error),
    heading: user ? msg('admin.userForm.editHeading', { name: user.displayName }) : msg('admin.userForm.createHeading'),
    action: user ? `${userPath(user)}/edit` : '/admin/users/new',
    creating: !user,
    values,
    back: user ? userPath(user) : '/admin/users',
    deleteHref: user && t.deps.directory.can('delete') && !refusalOf(v.caller, 'deleteUser', user) ? `${userPath(user)}/delete` : null,
  };
}
