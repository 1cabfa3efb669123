import type { Context } from 'koa';
import type { LiveSignIn } from './LiveSignIn.js';
import { loadInteraction } from './loadInteraction.js';
import type { RegistrationRouterDeps } from './RegistrationRouterDeps.js';
import { showSignInEnded } from './showSignInEnded.js';

/** The interaction, its live TAP sign-in and its user; or a page (or redirect) explaining why not. */
export async function loadLiveSignIn(deps: RegistrationRouterDeps, ctx: Context): Promise<LiveSignIn | undefined> {
  const { pending } = deps;
  // The interaction and its sign-in together (the sign-in's key is the uid the path names, which the
  // interaction is checked against), then the user with their TAP and the policy: two round trips.
  const [d, rec] = await Promise.all([loadInteraction(deps.provider, ctx), pending.get(ctx.params.uid ?? '')]);
  if (!d) return undefined;
  if (rec?.ended) {
    await showSignInEnded(ctx, d);
    return undefined;
  }
  const [user] = rec ? await Promise.all([deps.directory.findById(rec.pending.login.accountId), deps.taps.readAhead(rec.pending.login.accountId)]) : [];
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
