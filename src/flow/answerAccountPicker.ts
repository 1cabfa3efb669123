import type { RouterMiddleware } from '@koa/router';
import { readForm } from '../http/readForm.js';
import type { InteractionTools } from './InteractionTools.js';
import { loadInteraction } from './loadInteraction.js';

/**
 * POST /interaction/:uid/select-account: continue as the signed-in account (the provider then goes on as for single
 * sign-on: the session's checks, its TAP's end, consent), or sign in with another from the identifier step.
 */
export function answerAccountPicker(t: InteractionTools): RouterMiddleware {
  return async (ctx) => {
    const form = await readForm(ctx);
    const d = await loadInteraction(t.deps.provider, ctx);
    if (!d) return;
    if (d.prompt.name !== 'select_account') {
      ctx.status = 303;
      return ctx.redirect(`/interaction/${d.uid}`);
    }
    if (form.account === 'current' && d.session?.accountId) return t.deps.completer.finish(ctx, { select_account: {} });
    await t.pages.showIdentifier(ctx, d);
  };
}
