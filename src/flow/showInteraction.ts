import type { RouterMiddleware } from '@koa/router';
import { finishConsent } from './finishConsent.js';
import type { InteractionTools } from './InteractionTools.js';
import { loadInteraction } from './loadInteraction.js';
import { normaliseUsername } from './normaliseUsername.js';
import { SIGN_IN_ENDED } from './SIGN_IN_ENDED.js';
import { showAccountPicker } from './showAccountPicker.js';

/**
 * GET /interaction/:uid: where the provider sends the browser: consent, a TAP sign-in's next step, the account
 * picker (`prompt=select_account`), or the identifier.
 */
export function showInteraction(t: InteractionTools): RouterMiddleware {
  return async (ctx) => {
    // With the interaction, in the same round trip, its TAP sign-in (by the uid the interaction is checked against).
    const [d, rec] = await Promise.all([loadInteraction(t.deps.provider, ctx), t.deps.pending.get(ctx.params.uid ?? '')]);
    if (!d) return;
    if (d.prompt.name === 'consent') return finishConsent(t, ctx, d);
    // A TAP sign-in of this interaction is still waiting for its passkey; or it was ended, which is said once.
    if (rec?.ended) {
      await t.deps.pending.end(d.uid);
      return t.pages.showIdentifier(ctx, d, '', SIGN_IN_ENDED, 403);
    }
    if (rec) return ctx.redirect(`/interaction/${d.uid}/register`);
    if (d.prompt.name === 'select_account') return showAccountPicker(t, ctx, d);
    await t.pages.showIdentifier(ctx, d, typeof d.params.login_hint === 'string' ? normaliseUsername(d.params.login_hint) : '');
  };
}
