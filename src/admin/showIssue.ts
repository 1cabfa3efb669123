import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import { adminAuditContext } from './adminAuditContext.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { issueView } from './issueView.js';
import { targetOf } from './targetOf.js';

/** GET /admin/users/:id/issue: the form that issues a TAP, within the policy's range. */
export function showIssue(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    const user = await targetOf(t, ctx, v, 'issueTap');
    if (!user) return;
    await renderView(ctx, 'admin-issue', await issueView(ctx, t, v, user, adminAuditContext(ctx, v)));
  };
}
