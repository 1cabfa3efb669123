import type { RouterMiddleware } from '@koa/router';
import { readForm } from '../http/readForm.js';
import type { InteractionTools } from './InteractionTools.js';
import { loadInteraction } from './loadInteraction.js';
import { normaliseUsername } from './normaliseUsername.js';
import { throttleSignIn } from './throttleSignIn.js';
import { msg } from '../i18n/msg.js';

/** POST /interaction/:uid/identifier: the person's name leads to the step of the first method they can use. */
export function submitIdentifier(t: InteractionTools): RouterMiddleware {
  const { provider, directory } = t.deps;
  return async (ctx) => {
    const form = await readForm(ctx);
    const username = normaliseUsername(form.username);
    // One pipelined round trip for the interaction, the rate limits and the user's name; the next for the user's
    // record with what the methods read of them (their TAP, the policy, their passkeys).
    const [d, tooMany, user] = await Promise.all([
      loadInteraction(provider, ctx),
      throttleSignIn(t.deps.limiter, ctx, username),
      username ? directory.findByUpn(username, (id) => t.chooser.readAhead(id)) : undefined,
    ]);
    if (!d) return;
    if (tooMany) return t.pages.showIdentifier(ctx, d, username, tooMany, 429);
    if (!username) return t.pages.showIdentifier(ctx, d, '', msg('identifier.error.empty'));
    await t.pages.showMethod(ctx, d, await t.chooser.choose(d, user, username), username, user);
  };
}
