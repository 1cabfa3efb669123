import type { RouterMiddleware } from '@koa/router';
import { AuditActivity } from '../audit/AuditActivity.js';
import { BadRequestError } from '../errors.js';
import type { AdminLogView } from '../http/views/AdminLogView.js';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import type { Text } from '../i18n/Text.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { logFilter } from './logFilter.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { userPath } from './userPath.js';

const PAGE_SIZE = 50;
/** The activities each log can be filtered by. */
const DIRECTORY_ACTIVITIES: string[] = [...new Set(Object.values(AuditActivity).flatMap((v) => (typeof v === 'string' ? [v] : [])))].sort();
const SIGN_IN_METHODS = ['Temporary Access Pass', 'Passkey', 'Password', 'Federated identity provider'];

type Row = AdminLogView['rows'][number];
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function directoryRow(r: Record<string, unknown>): Row {
  const target = (Array.isArray(r.targetResources) ? (r.targetResources as Record<string, unknown>[]) : []).find((t) => t.type === 'User');
  return {
    at: Date.parse(str(r.activityDateTime)),
    activity: str(r.activityDisplayName),
    result: str(r.result),
    success: r.result === 'success',
    detail: str(r.resultReason),
    actor: str(get(r, 'initiatedBy', 'user', 'userPrincipalName')) || str(get(r, 'initiatedBy', 'app', 'displayName')) || str(get(r, 'initiatedBy', 'user', 'id')),
    user: target ? { label: str(target.userPrincipalName) || str(target.displayName), href: target.id ? userPath({ id: str(target.id) }) : null } : { label: '', href: null },
  };
}

function signInRow(r: Record<string, unknown>): Row {
  const ok = get(r, 'status', 'errorCode') === 0;
  return {
    at: Date.parse(str(r.createdDateTime)),
    activity: (Array.isArray(r.authenticationMethodsUsed) ? (r.authenticationMethodsUsed as string[]) : []).join(', '),
    result: ok ? 'success' : 'failure',
    success: ok,
    detail: str(get(r, 'status', 'failureReason')),
    actor: str(r.appDisplayName) || str(r.appId),
    user: { label: str(r.userPrincipalName), href: r.userId ? userPath({ id: str(r.userId) }) : null },
  };
}

/** GET /admin/audit and /admin/sign-ins: a log, newest first, filtered by user, activity, result and time, paged. */
export function showLog(t: AdminTools, which: 'directory' | 'signIns'): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    const why = refusalOf(v.caller, 'viewLogs');
    if (why) return refuse(ctx, why);
    const q = (name: string, max = 200) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string).trim().slice(0, max) : '');
    const filter = { user: q('user', 320), activity: q('activity'), result: q('result'), from: q('from'), to: q('to') };
    const known = filter.user ? await t.deps.directory.find(filter.user) : undefined;
    let rows: Row[] = [];
    let next: string | undefined;
    let error: Text | undefined;
    try {
      const query = { top: PAGE_SIZE, ...(q('skip', 200) ? { skipToken: q('skip', 200) } : {}) };
      const odata = logFilter(which, filter, known?.id);
      const page = which === 'directory' ? await t.deps.audit.queryDirectory({ ...query, ...(odata ? { filter: odata } : {}) }) : await t.deps.audit.querySignIns({ ...query, ...(odata ? { filter: odata } : {}) });
      rows = page.value.map(which === 'directory' ? directoryRow : signInRow);
      next = page.nextSkipToken;
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      error = { verbatim: err.message };
    }
    const base = which === 'directory' ? '/admin/audit' : '/admin/sign-ins';
    const keep = Object.fromEntries(Object.entries(filter).filter(([, x]) => x));
    await renderView(
      ctx,
      'admin-log',
      {
        title: msg(which === 'directory' ? 'admin.audit.title' : 'admin.signIns.title'),
        nav: adminNav(ctx, v, error),
        heading: msg(which === 'directory' ? 'admin.audit.title' : 'admin.signIns.title'),
        filter,
        activities: (which === 'directory' ? DIRECTORY_ACTIVITIES : SIGN_IN_METHODS).map((a) => ({ value: a, label: a })),
        rows,
        nextHref: next ? `${base}?${new URLSearchParams({ ...keep, skip: next }).toString()}` : null,
      },
      error ? 400 : 200,
    );
  };
}
