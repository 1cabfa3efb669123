import type { RouterMiddleware } from '@koa/router';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { renderPolicy } from './renderPolicy.js';

/** GET /admin/policy: the TAP policy's fields and their ranges; a form when the role may change it. */
export function showPolicy(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx);
    if (!v) return;
    const why = refusalOf(v.caller, 'viewPolicy');
    if (why) return refuse(ctx, why);
    await renderPolicy(ctx, t, v);
  };
}
