import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import type { User } from '../directory/User.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { ROLE_NAMES } from './ROLE_NAMES.js';
import { userPath } from './userPath.js';

const PAGE_SIZE = 20;

/**
 * GET /admin/users?q=&after=: users whose display name or user principal name contains `q` (case ignored),
 * ordered by user principal name, a page at a time (`after`: the last name of the page before). A GET form, so
 * it works without script; admin.js only submits it as one types.
 */
export function showUsers(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    const why = refusalOf(v.caller, 'listUsers');
    if (why) return refuse(ctx, why);
    const q = (typeof ctx.query.q === 'string' ? ctx.query.q : '').trim().slice(0, 200);
    const after = (typeof ctx.query.after === 'string' ? ctx.query.after : '').slice(0, 320).toLowerCase();
    const { directory } = t.deps;
    const lookupOnly = !directory.can('list');
    let found: User[];
    if (lookupOnly) {
      const one = q ? await directory.find(q) : undefined;
      found = one ? [one] : [];
    } else {
      const needle = q.toLowerCase();
      found = (await directory.list())
        .filter((u) => !needle || u.userPrincipalName.toLowerCase().includes(needle) || u.displayName.toLowerCase().includes(needle))
        .sort((a, b) => (a.userPrincipalName.toLowerCase() < b.userPrincipalName.toLowerCase() ? -1 : 1));
    }
    const rest = found.filter((u) => u.userPrincipalName.toLowerCase() > after);
    const page = rest.slice(0, PAGE_SIZE);
    const next = rest.length > PAGE_SIZE ? new URLSearchParams({ ...(q ? { q } : {}), after: page.at(-1)!.userPrincipalName }) : undefined;
    await renderView(ctx, 'admin-users', {
      title: msg('admin.users.title'),
      nav: adminNav(ctx, v),
      query: q,
      users: page.map((u) => ({
        href: userPath(u),
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
        enabled: u.accountEnabled !== false,
        roles: u.roles.map((r) => ROLE_NAMES[r]),
      })),
      nextHref: next ? `/admin/users?${next.toString()}` : null,
      lookupOnly,
      createHref: directory.can('create') && !refusalOf(v.caller, 'createUser') ? '/admin/users/new' : null,
    });
  };
}
