import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { targetOf } from './targetOf.js';
import { userView } from './userView.js';

/** GET /admin/users/:id: the user's details, groups, roles and authentication methods. */
export function showUser(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    const user = await targetOf(t, ctx, v, 'viewUser');
    if (!user) return;
    await renderView(ctx, 'admin-user', await userView(ctx, t, v, user));
  };
}
