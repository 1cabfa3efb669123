import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/AuditLog.js';
import { recordSignInOutcome } from './recordSignInOutcome.js';
import type { Directory } from '../directory/Directory.js';
import type { User } from '../directory/User.js';
import { readForm } from '../http/readForm.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { renderView } from '../http/renderView.js';
import type { AuthMethod, StepContext } from '../methods/AuthMethod.js';
import { permissionWords } from '../provider/permissionWords.js';
import type { DelegatedPermission } from '../config/AppConfig.js';
import type { RateLimiter } from '../ratelimit/RateLimiter.js';
import type { TapService } from '../tap/TapService.js';
import { clientName, loadInteraction, requiresPhr } from './loadInteraction.js';
import type { Details, LoginCompleter } from './LoginCompleter.js';
import type { PendingLogins } from './PendingLogins.js';
import { SIGN_IN_ENDED } from './registrationRouter.js';

export interface InteractionRouterDeps {
  /** For the TAP a session was signed in with (`keys.sessionTap`). */
  redis: Store;
  provider: Provider;
  directory: Directory;
  taps: TapService;
  /** The methods in the order the flow offers them; the first one available is the step after the identifier. */
  methods: AuthMethod[];
  /** The method shown when no other is available, also to unknown identifiers (no enumeration). */
  fallback: string;
  /** The method shown instead when the client demands a phishing-resistant sign-in. */
  phrFallback: string;
  completer: LoginCompleter;
  pending: PendingLogins;
  /** Where every sign-in attempt is recorded. */
  audit?: AuditLog;
  /** Options `rateLimits.signInPerAddress` and `signInPerAccount`, taken by every posted step. */
  limiter: RateLimiter;
}

export const PHR_REQUIRED = 'This application requires you to sign in with a passkey.';

/**
 * The sign-in flow: identifier first, then the step of the first method the user can use. The flow knows the
 * order of steps; each method renders and verifies its own. A TAP sign-in continues to passkey registration
 * (registrationRouter) before it is complete.
 */
export function interactionRouter(deps: InteractionRouterDeps): Router {
  const { provider, directory, methods, completer } = deps;
  const byName = new Map(methods.map((m) => [m.name, m]));
  const router = new Router({ prefix: '/interaction/:uid' });

  function normalise(username: string | undefined): string {
    return (username ?? '').trim().slice(0, 320);
  }

  /** Under `acr_values=phr` only phishing-resistant methods, and those that lead to one, take part. */
  function allowed(d: Details, m: AuthMethod): boolean {
    return !requiresPhr(d) || m.acr === 'phr' || m.bootstrapsPasskey;
  }

  async function stepContext(d: Details, method: string, username: string, user: User | undefined): Promise<StepContext> {
    const base = `/interaction/${d.uid}`;
    const alternatives: Record<string, string> = {};
    // Asked for an unknown name too (each method then reads as for nobody), so that it costs what a known one
    // does; an unknown name is offered no alternatives.
    const usable = await Promise.all(methods.map((m) => m.name !== method && allowed(d, m) && m.isAvailable(user, username)));
    methods.forEach((m, i) => {
      if (usable[i] && user) alternatives[m.name] = `${base}/method/${m.name}?username=${encodeURIComponent(username)}`;
    });
    return {
      interactionId: d.uid,
      action: `${base}/method/${method}`,
      user,
      username,
      alternatives,
      backHref: base,
      clientName: await clientName(provider, d),
    };
  }

  async function showMethod(ctx: Context, d: Details, method: AuthMethod, username: string, user: User | undefined, error?: string, status = 200) {
    const step = await method.render(await stepContext(d, method.name, username, user), error);
    // A wait already sent as Retry-After is counted down on the page (public/app.js).
    const retryAfter = Number(ctx.response.get('Retry-After')) || undefined;
    // A step that happens elsewhere (an upstream provider): 303, so that a POSTed identifier becomes a GET there.
    if ('redirect' in step) {
      // A rate-limited post must not set off the redirect: it stays here and says why.
      if (status === 429) return showIdentifier(ctx, d, username, error, status);
      ctx.status = 303;
      return ctx.redirect(step.redirect);
    }
    await renderView(ctx, step.view, { ...step.locals, retryAfterSeconds: error ? retryAfter : undefined }, error ? status : (step.status ?? 200));
  }

  async function showIdentifier(ctx: Context, d: Details, username = '', error?: string, status = 400) {
    let extras: Record<string, unknown> = {};
    for (const m of methods) {
      if (m.identifierExtras) extras = { ...extras, ...(await m.identifierExtras(d.uid, `/interaction/${d.uid}/method/${m.name}`)) };
    }
    await renderView(
      ctx,
      'identifier',
      {
        title: 'Sign in',
        action: `/interaction/${d.uid}/identifier`,
        username,
        error: error ?? null,
        clientName: await clientName(provider, d),
        passkeyAction: null,
        passkeyOptions: null,
        ...extras,
      },
      error ? status : 200,
    );
  }

  /**
   * Take this post from the rate limits of its address and of the account it names; when one is spent, say so
   * (429, `Retry-After`) and return the message for the step's page. The same for every typed name, known or not.
   */
  async function throttled(ctx: Context, username: string, method?: AuthMethod): Promise<string | undefined> {
    const r = await deps.limiter.take(
      ['signInPerAddress', ctx.ip],
      ...(method?.addressLimit ? [[method.addressLimit, ctx.ip] as const] : []),
      ...(username ? [['signInPerAccount', username.toLowerCase()] as const] : []),
    );
    if (r.ok) return undefined;
    ctx.set('Retry-After', String(r.retryAfterSeconds));
    const wait = `Wait ${r.retryAfterSeconds} second${r.retryAfterSeconds === 1 ? '' : 's'} before you try again.`;
    return r.limit === 'signInPerAccount' ? `Too many attempts for this account. ${wait}` : `Too many attempts from your network. ${wait}`;
  }

  /**
   * First method in the flow's order this user can use; unknown users get the fallback like everyone else,
   * unless a method takes every identifier of their form (a federated domain), known or not.
   */
  async function chooseMethod(d: Details, user: User | undefined, username: string): Promise<AuthMethod> {
    // Every method is asked at once (one pipelined round trip to Redis), then the first in order wins.
    const usable = await Promise.all(methods.map((m) => allowed(d, m) && m.isAvailable(user, username)));
    return methods[usable.indexOf(true)] ?? byName.get(requiresPhr(d) ? deps.phrFallback : deps.fallback)!;
  }

  /** The consent page: the application and each admin API permission it asks for, in words. */
  async function showConsent(ctx: Context, d: Details, pending: string[]) {
    const user = await directory.findById(d.session!.accountId);
    await renderView(ctx, 'consent', {
      title: 'Allow access',
      username: user?.userPrincipalName ?? '',
      clientName: await clientName(provider, d),
      action: `/interaction/${d.uid}/consent`,
      permissions: pending.map((name) => ({ name, words: permissionWords[name as DelegatedPermission] })),
    });
  }

  /**
   * Clients are the deployment's own, so consent to sign in is implied; admin API permissions need the person's
   * `allowed` on the consent page, unless accepted before in this grant. A TAP session's new grants end with the TAP.
   */
  async function finishConsent(ctx: Context, d: Details, allowed = false) {
    const accountId = d.session?.accountId;
    if (!accountId) return showIdentifier(ctx, d);
    let capAt: number | undefined;
    let tapId: string | undefined;
    if (d.session?.amr?.includes('tap')) {
      const [user, link] = await Promise.all([
        directory.findById(accountId),
        d.session?.uid ? deps.redis.get(keys.sessionTap(d.session.uid)) : undefined,
      ]);
      const tap = user && (await deps.taps.usableTap(user));
      const sessionTapId = link ? (JSON.parse(link) as { tapId?: string }).tapId : undefined;
      // The TAP this session was obtained with is gone, spent or replaced: sign in again.
      if (!tap || tap.id !== sessionTapId) {
        return showIdentifier(ctx, d, user?.userPrincipalName ?? '', 'Your Temporary Access Pass has ended. Sign in again.');
      }
      capAt = tap.end;
      tapId = tap.id;
    }
    const consent = await completer.apiConsent(d, accountId);
    if (consent.pending.length && !allowed) return showConsent(ctx, d, consent.pending);
    const grantId = await completer.createGrant(d, accountId, capAt, tapId, allowed ? [...consent.approved, ...consent.pending] : consent.approved);
    await completer.finish(ctx, { consent: { grantId } });
  }

  router.get('/', async (ctx) => {
    const d = await loadInteraction(provider, ctx);
    if (!d) return;
    if (d.prompt.name === 'consent') return finishConsent(ctx, d);
    // A TAP sign-in of this interaction is still waiting for its passkey; or it was ended, which is said once.
    const rec = await deps.pending.get(d.uid);
    if (rec?.ended) {
      await deps.pending.end(d.uid);
      return showIdentifier(ctx, d, '', SIGN_IN_ENDED, 403);
    }
    if (rec) return ctx.redirect(`/interaction/${d.uid}/register`);
    await showIdentifier(ctx, d, typeof d.params.login_hint === 'string' ? normalise(d.params.login_hint) : '');
  });

  router.post('/consent', async (ctx) => {
    const form = await readForm(ctx);
    const d = await loadInteraction(provider, ctx);
    if (!d) return;
    if (d.prompt.name !== 'consent') {
      ctx.status = 303;
      return ctx.redirect(`/interaction/${d.uid}`);
    }
    // Anything but Allow is a refusal, as OpenID Connect says: the client gets access_denied.
    if (form.decision !== 'allow') return completer.abort(ctx, 'The user did not allow the application to act on their behalf.');
    await finishConsent(ctx, d, true);
  });

  router.post('/identifier', async (ctx) => {
    const form = await readForm(ctx);
    const username = normalise(form.username);
    // One pipelined round trip for the interaction, the rate limits and the user.
    const [d, tooMany, user] = await Promise.all([
      loadInteraction(provider, ctx),
      throttled(ctx, username),
      username ? directory.findByUpn(username) : undefined,
    ]);
    if (!d) return;
    if (tooMany) return showIdentifier(ctx, d, username, tooMany, 429);
    if (!username) return showIdentifier(ctx, d, '', 'Enter your email or username.');
    await showMethod(ctx, d, await chooseMethod(d, user, username), username, user);
  });

  router.get('/method/:method', async (ctx) => {
    const d = await loadInteraction(provider, ctx);
    if (!d) return;
    const method = byName.get(ctx.params.method!);
    const username = normalise(typeof ctx.query.username === 'string' ? ctx.query.username : '');
    if (!method || !username) return showIdentifier(ctx, d, username);
    const user = await directory.findByUpn(username);
    // Switching to a method the user cannot use would tell the asker something; fall back instead. The fallback
    // is worked out every time, known name or not, so that both cost the same Redis work.
    const [usable, fallback] = await Promise.all([allowed(d, method) && method.isAvailable(user, username), chooseMethod(d, user, username)]);
    await showMethod(ctx, d, usable && user ? method : fallback, username, user);
  });

  router.post('/method/:method', async (ctx) => {
    const method = byName.get(ctx.params.method!);
    const form = await readForm(ctx);
    const username = normalise(form.username);
    const [d, tooMany, user] = await Promise.all([
      loadInteraction(provider, ctx),
      throttled(ctx, username, method),
      username ? directory.findByUpn(username) : undefined,
    ]);
    if (!d) return;
    if (tooMany) {
      // Back to the step the attempt came from, as if refused; nothing was checked and nothing is recorded.
      if (!method || !username) return showIdentifier(ctx, d, username, tooMany, 429);
      return showMethod(ctx, d, method, username, user, tooMany, 429);
    }
    if (!method || (!username && !method.identifiesUser)) return showIdentifier(ctx, d, username, 'Enter your email or username.');
    if (!allowed(d, method)) return showMethod(ctx, d, await chooseMethod(d, user, username), username, user, PHR_REQUIRED, 403);
    const result = await method.verify(user, form, d.uid, ctx.ip);
    if (!result.ok && result.unchecked) {
      ctx.set('Retry-After', '1');
      return showMethod(ctx, d, method, username, user, result.error, result.status ?? 503);
    }
    await recordSignInOutcome(deps.audit, directory, { method: method.name, username, user, result, clientId: d.params.client_id, ip: ctx.ip });
    if (!result.ok) {
      // A username-less passkey attempt that failed goes back to the identifier page it came from.
      if (!username) return showIdentifier(ctx, d, '', result.error);
      if (result.retryAfterSeconds) ctx.set('Retry-After', String(result.retryAfterSeconds));
      return showMethod(ctx, d, method, username, user, result.error, result.status ?? 400);
    }
    if (result.enrol) {
      // Its TAP was deleted or replaced in the moment since it was checked: the sign-in ends before it began.
      if (!(await deps.pending.begin(d.uid, result, result.enrol.once))) return showIdentifier(ctx, d, username, SIGN_IN_ENDED, 403);
      ctx.status = 303;
      return ctx.redirect(`/interaction/${d.uid}/register`);
    }
    await completer.login(ctx, d, result);
  });

  return router;
}
