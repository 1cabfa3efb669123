import type { RouterMiddleware } from '@koa/router';
import { readForm } from '../http/readForm.js';
import { canSkipRegistration } from './canSkipRegistration.js';
import { loadLiveSignIn } from './loadLiveSignIn.js';
import { MUST_REGISTER } from './MUST_REGISTER.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showRegister } from './showRegister.js';
import { showSignInEnded } from './showSignInEnded.js';

/** POST /interaction/:uid/register/skip: finish as a TAP sign-in, where skipping is allowed. */
export function skipRegistration(deps: RegistrationRouterDeps): RouterMiddleware {
  return async (ctx) => {
    const l = await loadLiveSignIn(deps, ctx);
    if (!l) return;
    await readForm(ctx);
    if (!(await canSkipRegistration(deps, l.d, l.pending, l.user))) return showRegister(deps, ctx, l, MUST_REGISTER, 403);
    if (!(await deps.pending.take(l.d.uid, l))) return showSignInEnded(ctx, l.d);
    await deps.completer.login(ctx, l.d, l.pending.login);
  };
}
