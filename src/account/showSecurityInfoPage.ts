import type { RouterMiddleware } from '@koa/router';
import type { AccountTools } from './AccountTools.js';
import { backToApp } from './backToApp.js';
import { NOTICES } from './NOTICES.js';
import { showSecurityInfo } from './showSecurityInfo.js';

/**
 * GET /account/security-info: the page, saying what the last change did (`?done=`, a fixed text). An application
 * that links here with `?client_id=` gets a way back to it, remembered before the sign-in the visit may need.
 */
export function showSecurityInfoPage(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    await backToApp(ctx, t, true);
    const c = await t.gate.visit(ctx);
    if (!c) return;
    const key = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    await showSecurityInfo(ctx, t, c.s, c.user, { notice: Object.hasOwn(NOTICES, key) ? NOTICES[key as keyof typeof NOTICES] : undefined });
  };
}
