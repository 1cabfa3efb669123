import type { RouterMiddleware } from '@koa/router';
import { readForm } from '../http/readForm.js';
import { loadLiveSignIn } from './loadLiveSignIn.js';
import { registrationPurpose } from './registrationPurpose.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showRegister } from './showRegister.js';
import { showSignInEnded } from './showSignInEnded.js';

/** POST /interaction/:uid/register: the new passkey, held in the pending sign-in until it has signed in once. */
export function submitRegistration(deps: RegistrationRouterDeps): RouterMiddleware {
  const { pending, passkeys } = deps;
  return async (ctx) => {
    const l = await loadLiveSignIn(deps, ctx);
    if (!l) return;
    const form = await readForm(ctx);
    // The window is checked before anything else: a late answer is refused even if it is a good one.
    if ((await pending.windowLeft(l.d.uid, l.pending)) <= 0) return showRegister(deps, ctx, l);
    const result = await passkeys.verifyRegistration(l.user, registrationPurpose(l.d.uid), form.response ?? '', form.name);
    if (!result.ok) return showRegister(deps, ctx, l, result.error, 400);
    if (!(await pending.attachPasskey(l.d.uid, l, result.passkey))) return showSignInEnded(ctx, l.d);
    ctx.status = 303;
    ctx.redirect(`/interaction/${l.d.uid}/confirm`);
  };
}
