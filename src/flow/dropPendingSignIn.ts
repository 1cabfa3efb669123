import type { RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import { readForm } from '../http/readForm.js';
import { loadInteraction } from './loadInteraction.js';
import type { Details } from './LoginCompleter.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';

/**
 * POST /interaction/:uid/restart and /abort: drop the pending sign-in of this interaction, then `next` decides
 * where the user goes.
 */
export function dropPendingSignIn(deps: RegistrationRouterDeps, next: (ctx: Context, d: Details) => Promise<void>): RouterMiddleware {
  return async (ctx) => {
    const d = await loadInteraction(deps.provider, ctx);
    if (!d) return;
    await readForm(ctx);
    const rec = await deps.pending.get(d.uid);
    if (rec) await deps.pending.end(d.uid, rec.ended ? undefined : rec.pending);
    await next(ctx, d);
  };
}
