import type { RouterMiddleware } from '@koa/router';
import { BadRequestError } from '../errors.js';
import { adminAuditContext } from './adminAuditContext.js';
import type { AdminTools } from './AdminTools.js';
import { admitVisitor } from './admitVisitor.js';
import { refuse } from './refuse.js';
import { refusalOf } from './refusalOf.js';
import { renderPolicy } from './renderPolicy.js';

/**
 * POST /admin/policy: change the policy through `TapService.updatePolicy`, the admin API's own call, so the same
 * checks refuse the same values (nothing is changed unless the whole result is valid) and the change is audited.
 */
export function savePolicy(t: AdminTools): RouterMiddleware {
  return async (ctx) => {
    const v = await admitVisitor(t, ctx, '/admin/policy');
    if (!v) return;
    const why = refusalOf(v.caller, 'editPolicy');
    if (why) return refuse(ctx, why);
    const f = v.form;
    const changes: Record<string, unknown> = { state: f.state ?? '', isUsableOnce: f.isUsableOnce === 'on' };
    for (const name of ['minimumLifetimeInMinutes', 'maximumLifetimeInMinutes', 'defaultLifetimeInMinutes', 'defaultLength']) {
      const raw = (f[name] ?? '').trim();
      // A number as the API would receive it; anything else as given, for the policy's own check to name.
      changes[name] = /^-?\d{1,9}$/.test(raw) ? Number(raw) : raw;
    }
    try {
      await t.deps.taps.updatePolicy(changes, adminAuditContext(ctx, v));
    } catch (err) {
      if (!(err instanceof BadRequestError)) throw err;
      return renderPolicy(ctx, t, v, f, err.message);
    }
    ctx.status = 303;
    ctx.redirect('/admin/policy?done=policySaved');
  };
}
