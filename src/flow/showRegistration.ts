import type { RouterMiddleware } from '@koa/router';
import { loadLiveSignIn } from './loadLiveSignIn.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showRegister } from './showRegister.js';

/** GET /interaction/:uid/register: the registration page, or the confirmation once a passkey is registered. */
export function showRegistration(deps: RegistrationRouterDeps): RouterMiddleware {
  return async (ctx) => {
    const l = await loadLiveSignIn(deps, ctx);
    if (!l) return;
    if (l.pending.passkey) return ctx.redirect(`/interaction/${l.d.uid}/confirm`);
    await showRegister(deps, ctx, l);
  };
}
