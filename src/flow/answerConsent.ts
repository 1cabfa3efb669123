import type { RouterMiddleware } from '@koa/router';
import { readForm } from '../http/readForm.js';
import { finishConsent } from './finishConsent.js';
import type { InteractionTools } from './InteractionTools.js';
import { loadInteraction } from './loadInteraction.js';

/** POST /interaction/:uid/consent: Allow, or anything else as a refusal. */
export function answerConsent(t: InteractionTools): RouterMiddleware {
  return async (ctx) => {
    const form = await readForm(ctx);
    const d = await loadInteraction(t.deps.provider, ctx);
    if (!d) return;
    if (d.prompt.name !== 'consent') {
      ctx.status = 303;
      return ctx.redirect(`/interaction/${d.uid}`);
    }
    // Anything but Allow is a refusal, as OpenID Connect says: the client gets access_denied.
    if (form.decision !== 'allow') return t.deps.completer.abort(ctx, 'The user did not allow the application to act on their behalf.');
    await finishConsent(t, ctx, d, true);
  };
}
