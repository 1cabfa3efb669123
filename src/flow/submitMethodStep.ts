import type { RouterMiddleware } from '@koa/router';
import { readForm } from '../http/readForm.js';
import { ACCOUNT_DISABLED } from './ACCOUNT_DISABLED.js';
import type { InteractionTools } from './InteractionTools.js';
import { loadInteraction } from './loadInteraction.js';
import { normaliseUsername } from './normaliseUsername.js';
import { PHR_REQUIRED } from './PHR_REQUIRED.js';
import { recordSignInOutcome } from './recordSignInOutcome.js';
import { RequestScope } from '../store/RequestScope.js';
import { showAccountDisabled } from './showAccountDisabled.js';
import { SIGN_IN_ENDED } from './SIGN_IN_ENDED.js';
import { throttleSignIn } from './throttleSignIn.js';
import { msg } from '../i18n/msg.js';

/**
 * POST /interaction/:uid/method/:method: the method checks what was sent; a success signs in, or, for a TAP,
 * goes on to passkey registration (registrationRouter).
 */
export function submitMethodStep(t: InteractionTools): RouterMiddleware {
  const { provider, directory, completer } = t.deps;
  const { pages, chooser } = t;
  return async (ctx) => {
    const method = chooser.get(ctx.params.method!);
    const form = await readForm(ctx);
    const username = normaliseUsername(form.username);
    const [d, tooMany, user] = await Promise.all([
      loadInteraction(provider, ctx),
      throttleSignIn(t.deps.limiter, ctx, username, method),
      // The user's record and what the method reads of them (a TAP and the policy) in one round trip.
      username ? directory.findByUpn(username, (id) => method?.readAhead?.(id)) : undefined,
    ]);
    if (!d) return;
    if (tooMany) {
      // Back to the step the attempt came from, as if refused; nothing was checked and nothing is recorded.
      if (!method || !username) return pages.showIdentifier(ctx, d, username, tooMany, 429);
      return pages.showMethod(ctx, d, method, username, user, tooMany, 429);
    }
    if (!method || (!username && !method.identifiesUser)) return pages.showIdentifier(ctx, d, username, msg('identifier.error.empty'));
    if (!chooser.allowed(d, method)) return pages.showMethod(ctx, d, await chooser.choose(d, user, username), username, user, PHR_REQUIRED, 403);
    const verified = await method.verify(user, form, d.uid, ctx.ip);
    // Only a right credential learns that its account is disabled; the attempt is then a refusal like any other.
    const signedIn = verified.ok ? (user?.id === verified.accountId ? user : await directory.findById(verified.accountId)) : undefined;
    const disabled = signedIn?.accountEnabled === false;
    const credentialId = verified.ok ? (verified.tapId ?? verified.passkeyId) : undefined;
    const result: typeof verified = disabled ? { ok: false, error: ACCOUNT_DISABLED, status: 403, reason: 'UserDisabled', ...(credentialId ? { credentialId } : {}) } : verified;
    if (!result.ok && result.unchecked) {
      ctx.set('Retry-After', '1');
      return pages.showMethod(ctx, d, method, username, user, result.error, result.status ?? 503);
    }
    // Recorded with the request's other writes, before its response (the step does not wait on the log).
    const outcome = { method: method.name, username, user: user ?? signedIn, result, clientId: d.params.client_id, ip: ctx.ip };
    await RequestScope.later(() => recordSignInOutcome(t.deps.audit, directory, outcome));
    if (disabled) return showAccountDisabled(ctx, d);
    if (!result.ok) {
      // A username-less passkey attempt that failed goes back to the identifier page it came from.
      if (!username) return pages.showIdentifier(ctx, d, '', result.error);
      if (result.retryAfterSeconds) ctx.set('Retry-After', String(result.retryAfterSeconds));
      return pages.showMethod(ctx, d, method, username, user, result.error, result.status ?? 400);
    }
    if (result.enrol) {
      // The attempt's record goes out now, beside the pending sign-in, rather than in a round trip of its own
      // before the response: the step's last round trip carries both.
      const [begun] = await Promise.all([t.deps.pending.begin(d.uid, result, result.enrol.once), RequestScope.current()?.flush()]);
      // Its TAP was deleted or replaced in the moment since it was checked: the sign-in ends before it began.
      if (!begun) return pages.showIdentifier(ctx, d, username, SIGN_IN_ENDED, 403);
      ctx.status = 303;
      return ctx.redirect(`/interaction/${d.uid}/register`);
    }
    await completer.login(ctx, d, result);
  };
}
