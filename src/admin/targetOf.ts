import type { Context } from 'koa';
import { showAccountMessage } from '../account/showAccountMessage.js';
import type { User } from '../directory/User.js';
import { msg } from '../i18n/msg.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';
import type { CONSOLE_ACTIONS } from './CONSOLE_ACTIONS.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { userPath } from './userPath.js';

/**
 * The user of the path (`:id`), once the visitor may do `action` to them; else a page that says why, and
 * undefined. As in the admin API (authorizedUser): whether they may do it to anyone is decided before the user
 * is looked up, so a visitor without the right learns nothing of who exists.
 */
export async function targetOf(t: AdminTools, ctx: Context, v: AdminVisit, action: keyof typeof CONSOLE_ACTIONS): Promise<User | undefined> {
  const anyone = refusalOf(v.caller, action);
  if (anyone) return void (await refuse(ctx, anyone));
  const id = ctx.params.id ?? '';
  const user = id.length <= 320 ? await t.deps.directory.find(id) : undefined;
  if (!user) {
    await showAccountMessage(ctx, 404, msg('admin.userGone.heading'), msg('admin.userGone.message'), { href: '/admin/users', label: msg('admin.nav.users') });
    return undefined;
  }
  const why = refusalOf(v.caller, action, user);
  if (why) return void (await refuse(ctx, why, userPath(user)));
  return user;
}
