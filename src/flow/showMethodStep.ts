import type { RouterMiddleware } from '@koa/router';
import type { InteractionTools } from './InteractionTools.js';
import { loadInteraction } from './loadInteraction.js';
import { normaliseUsername } from './normaliseUsername.js';

/** GET /interaction/:uid/method/:method: switch to another method's step, if the person can use it. */
export function showMethodStep(t: InteractionTools): RouterMiddleware {
  const { provider, directory } = t.deps;
  return async (ctx) => {
    const d = await loadInteraction(provider, ctx);
    if (!d) return;
    const method = t.chooser.get(ctx.params.method!);
    const username = normaliseUsername(typeof ctx.query.username === 'string' ? ctx.query.username : '');
    if (!method || !username) return t.pages.showIdentifier(ctx, d, username);
    const user = await directory.findByUpn(username, (id) => t.chooser.readAhead(id));
    // Switching to a method the user cannot use would tell the asker something; fall back instead. The fallback
    // is worked out every time, known name or not, so that both cost the same Redis work.
    const [usable, fallback] = await Promise.all([t.chooser.allowed(d, method) && method.isAvailable(user, username), t.chooser.choose(d, user, username)]);
    await t.pages.showMethod(ctx, d, usable && user ? method : fallback, username, user);
  };
}
