import type { RouterMiddleware } from '@koa/router';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { targetOf } from './targetOf.js';
import { userPath } from './userPath.js';

/** GET /admin/users/:id/delete: what deleting the user ends, spelled out, and the button that does it. */
export function showDeleteUser(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    const user = await targetOf(t, ctx, v, 'deleteUser');
    if (!user) return;
    const [passkeys, tap] = await Promise.all([t.deps.passkeys.list(user.id), t.deps.taps.getStored(user)]);
    await renderView(ctx, 'admin-delete', {
      title: msg('admin.delete.heading', { name: user.displayName }),
      nav: adminNav(ctx, v),
      user: { displayName: user.displayName, userPrincipalName: user.userPrincipalName, href: userPath(user) },
      action: `${userPath(user)}/delete`,
      passkeys: passkeys.length,
      hasTap: tap !== undefined,
    });
  };
}
