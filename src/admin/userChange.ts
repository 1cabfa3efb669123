import type { RouterMiddleware } from '@koa/router';
import type { AuditContext } from '../audit/AuditContext.js';
import type { User } from '../directory/User.js';
import { BadRequestError, ForbiddenError, MethodNotAllowedError, NotFoundError } from '../errors.js';
import { renderView } from '../http/renderView.js';
import { adminAuditContext } from './adminAuditContext.js';
import type { ADMIN_NOTICES } from './ADMIN_NOTICES.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';
import { admitVisitor } from './admitVisitor.js';
import type { CONSOLE_ACTIONS } from './CONSOLE_ACTIONS.js';
import { targetOf } from './targetOf.js';
import { userPath } from './userPath.js';
import { userView } from './userView.js';

/**
 * A POST of a user's page (`/admin/users/:id/…`): the console's gate (session, role, CSRF, a recent sign-in),
 * the API's rule for `action` on that user, then `run` through the services with the administrator as the
 * audit actor; back to the page with `notice` (303, so a reload posts nothing), or the page with the refusal.
 */
export function userChange(
  t: AdminTools,
  action: keyof typeof CONSOLE_ACTIONS,
  notice: keyof typeof ADMIN_NOTICES,
  run: (user: User, by: AuditContext, params: Record<string, string>, v: AdminVisit) => Promise<unknown>,
  /** Where to go once done, when not back to the user's page (which is gone once the user is deleted). */
  after: (user: User) => string = userPath,
): RouterMiddleware {
  return async (ctx) => {
    const back = `/admin/users/${encodeURIComponent(ctx.params.id ?? '')}`;
    const v = await admitVisitor(t, ctx, back);
    if (!v) return;
    const user = await targetOf(t, ctx, v, action);
    if (!user) return;
    try {
      await run(user, adminAuditContext(ctx, v), ctx.params as Record<string, string>, v);
    } catch (err) {
      const known = err instanceof NotFoundError ? 404 : err instanceof ForbiddenError ? 403 : err instanceof BadRequestError ? 400 : err instanceof MethodNotAllowedError ? 405 : 0;
      if (!known) throw err;
      return renderView(ctx, 'admin-user', await userView(ctx, t, v, user, (err as ForbiddenError).said ?? { verbatim: (err as Error).message }), known);
    }
    t.log.info(`admin.${action}`, { accountId: v.user.id, userId: user.id });
    ctx.status = 303;
    ctx.redirect(`${after(user)}?done=${notice}`);
  };
}
