import type { Context } from 'koa';
import type { LiveSignIn } from './LiveSignIn.js';
import { loadInteraction } from './loadInteraction.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showSignInEnded } from './showSignInEnded.js';

/** The interaction, its live TAP sign-in and its user; or a page (or redirect) explaining why not. */
export async function loadLiveSignIn(deps: RegistrationRouterDeps, ctx: Context): Promise<LiveSignIn | undefined> {
  const { pending } = deps;
  const d = await loadInteraction(deps.provider, ctx);
  if (!d) return undefined;
  const rec = await pending.get(d.uid);
  if (rec?.ended) {
    await showSignInEnded(ctx, d);
    return undefined;
  }
  const user = rec && (await deps.directory.findById(rec.pending.login.accountId));
  if (!rec || !user) {
    ctx.status = 303;
    ctx.redirect(`/interaction/${d.uid}`);
    return undefined;
  }
  // Expiry, a lock or the policy end a sign-in with no event that could revoke it: checked at every step.
  if (!(await deps.taps.carrying(user, rec.pending.login.tapId ?? ''))) {
    await pending.markEnded(d.uid, rec.pending);
    await showSignInEnded(ctx, d);
    return undefined;
  }
  return { d, pending: rec.pending, raw: rec.raw, user };
}
