import type { RouterMiddleware } from '@koa/router';
import { loadLiveSignIn } from './loadLiveSignIn.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showConfirm } from './showConfirm.js';

/** GET /interaction/:uid/confirm: sign in with the new passkey, or register one first. */
export function showConfirmation(deps: RegistrationRouterDeps): RouterMiddleware {
  return async (ctx) => {
    const l = await loadLiveSignIn(deps, ctx);
    if (!l) return;
    if (!l.pending.passkey) return ctx.redirect(`/interaction/${l.d.uid}/register`);
    await showConfirm(deps, ctx, { ...l, passkey: l.pending.passkey });
  };
}
