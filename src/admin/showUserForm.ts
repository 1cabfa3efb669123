import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { targetOf } from './targetOf.js';
import { userFormView } from './userFormView.js';

/** GET /admin/users/new and /admin/users/:id/edit: HR's form, for a role that may write users. */
export function showUserForm(t: AdminTools, mode: 'create' | 'edit'): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    if (mode === 'create') {
      const why = refusalOf(v.caller, 'createUser');
      if (why) return refuse(ctx, why);
      return renderView(ctx, 'admin-user-form', userFormView(ctx, t, v, undefined));
    }
    const user = await targetOf(t, ctx, v, 'editUser');
    if (user) await renderView(ctx, 'admin-user-form', userFormView(ctx, t, v, user));
  };
}
