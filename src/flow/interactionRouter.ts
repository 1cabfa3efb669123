import Router from '@koa/router';
import { answerAccountPicker } from './answerAccountPicker.js';
import { answerConsent } from './answerConsent.js';
import type { InteractionRouterDeps } from './InteractionRouterDeps.js';
import type { InteractionTools } from './InteractionTools.js';
import { MethodChooser } from './MethodChooser.js';
import { showInteraction } from './showInteraction.js';
import { showMethodStep } from './showMethodStep.js';
import { SignInPages } from './SignInPages.js';
import { submitIdentifier } from './submitIdentifier.js';
import { submitMethodStep } from './submitMethodStep.js';

/**
 * The sign-in flow: identifier first, then the step of the first method the user can use (MethodChooser). The
 * flow knows the order of steps; each method renders and verifies its own (SignInPages shows them). A TAP sign-in
 * continues to passkey registration (registrationRouter) before it is complete. One file per handler; the route
 * table is in docs/architecture.md.
 */
export function interactionRouter(deps: InteractionRouterDeps): Router {
  const chooser = new MethodChooser(deps.methods, deps.fallback, deps.phrFallback);
  const t: InteractionTools = { deps, chooser, pages: new SignInPages(deps.provider, deps.directory, chooser) };
  const router = new Router({ prefix: '/interaction/:uid' });
  router.get('/', showInteraction(t));
  router.post('/consent', answerConsent(t));
  router.post('/select-account', answerAccountPicker(t));
  router.post('/identifier', submitIdentifier(t));
  router.get('/method/:method', showMethodStep(t));
  router.post('/method/:method', submitMethodStep(t));
  return router;
}
