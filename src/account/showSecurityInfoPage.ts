import type { RouterMiddleware } from '@koa/router';
import type { AccountTools } from './AccountTools.js';
import { NOTICES } from './NOTICES.js';
import { showSecurityInfo } from './showSecurityInfo.js';

/** GET /account/security-info: the page, saying what the last change did (`?done=`, a fixed text). */
export function showSecurityInfoPage(t: AccountTools): RouterMiddleware {
  return async (ctx) => {
    const c = await t.gate.visit(ctx);
    if (!c) return;
    const key = typeof ctx.query.done === 'string' ? ctx.query.done : '';
    await showSecurityInfo(ctx, t, c.s, c.user, { notice: Object.hasOwn(NOTICES, key) ? NOTICES[key as keyof typeof NOTICES] : undefined });
  };
}
