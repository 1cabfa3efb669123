import Router from '@koa/router';
import { dropPendingSignIn } from './dropPendingSignIn.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showConfirmation } from './showConfirmation.js';
import { showRegistration } from './showRegistration.js';
import { skipRegistration } from './skipRegistration.js';
import { submitConfirmation } from './submitConfirmation.js';
import { submitRegistration } from './submitRegistration.js';

/**
 * The steps after a TAP sign-in: register a passkey, then sign in once with it to prove it works. Only then is
 * the passkey kept and the interaction finished, as a passkey sign-in no longer capped by the TAP. Every step
 * first checks that the TAP the sign-in began with still carries it; the keeping of the passkey and the end of
 * the sign-in check it again atomically, so an administrator who deletes or replaces the TAP, or revokes the
 * sessions, at any moment leaves the holder of the sign-in with nothing.
 * One file per handler; the route table is in docs/architecture.md.
 */
export function registrationRouter(deps: RegistrationRouterDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid' });
  router.get('/register', showRegistration(deps));
  router.post('/register', submitRegistration(deps));
  router.post('/register/skip', skipRegistration(deps));
  router.get('/confirm', showConfirmation(deps));
  router.post('/confirm', submitConfirmation(deps));
  // Start over from the identifier with the same interaction (after the window closed, with a new TAP).
  router.post(
    '/restart',
    dropPendingSignIn(deps, async (ctx, d) => {
      ctx.status = 303;
      ctx.redirect(`/interaction/${d.uid}`);
    }),
  );
  router.post('/abort', dropPendingSignIn(deps, (ctx) => deps.completer.abort(ctx, 'The user did not finish signing in.')));
  return router;
}
