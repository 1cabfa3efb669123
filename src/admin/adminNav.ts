import type { Context } from 'koa';
import type { AdminNav } from '../http/views/AdminNav.js';
import type { Text } from '../i18n/Text.js';
import { msg } from '../i18n/msg.js';
import { ADMIN_NOTICES } from './ADMIN_NOTICES.js';
import type { AdminVisit } from './AdminVisit.js';
import { refusalOf } from './refusalOf.js';
import { ROLE_NAMES } from './ROLE_NAMES.js';

const PAGES = [
  { href: '/admin/users', label: msg('admin.nav.users'), action: 'listUsers' },
  { href: '/admin/audit', label: msg('admin.nav.audit'), action: 'viewLogs' },
  { href: '/admin/sign-ins', label: msg('admin.nav.signIns'), action: 'viewLogs' },
  { href: '/admin/policy', label: msg('admin.nav.policy'), action: 'viewPolicy' },
] as const;

/** The pages of the console the visitor's roles open, first the one to land on. */
export function adminPages(v: AdminVisit): string[] {
  return PAGES.filter((p) => !refusalOf(v.caller, p.action)).map((p) => p.href);
}

/** The console's header for this visit: the pages their roles open, and the notice of `?done=` or an error. */
export function adminNav(ctx: Context, v: AdminVisit, error?: Text): AdminNav {
  const done = typeof ctx.query.done === 'string' ? ctx.query.done : '';
  const open = new Set(adminPages(v));
  return {
    username: v.user.userPrincipalName,
    roles: v.user.roles.map((r) => ROLE_NAMES[r]),
    links: PAGES.filter((p) => open.has(p.href)).map((p) => ({ href: p.href, label: p.label, current: ctx.path === p.href || (p.href === '/admin/users' && ctx.path.startsWith('/admin/users/')) })),
    csrf: v.s.csrf,
    notice: Object.hasOwn(ADMIN_NOTICES, done) ? ADMIN_NOTICES[done as keyof typeof ADMIN_NOTICES] : null,
    error: error ?? null,
  };
}
