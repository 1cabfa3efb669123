import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Clock } from '../Clock.js';
import type { Directory } from '../directory/Directory.js';
import type { User } from '../directory/User.js';
import { readForm } from '../http/readForm.js';
import { renderView } from '../http/renderView.js';
import type { Logger } from '../log/Logger.js';
import type { AuthMethod, MethodSuccess, StepContext } from '../methods/AuthMethod.js';
import type { LoginResultExtras } from '../provider/lifetimes.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { TapService } from '../tap/TapService.js';

export interface InteractionRouterDeps {
  provider: Provider;
  directory: Directory;
  taps: TapService;
  /** The methods in the order the flow offers them; the first one available is the step after the identifier. */
  methods: AuthMethod[];
  /** The method shown when no other is available, also to unknown identifiers (no enumeration). */
  fallback: string;
  redis: Store;
  clock: Clock;
  log: Logger;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const EXPIRED = {
  title: 'Sign-in expired',
  heading: 'This sign-in request has expired',
  message: 'Go back to the application you were using and start signing in again.',
  link: null,
};

/**
 * The sign-in flow: identifier first, then the step of the first method the user can use. The flow knows the
 * order of steps; each method renders and verifies its own.
 */
export function interactionRouter(deps: InteractionRouterDeps): Router {
  const { provider, directory, methods, log } = deps;
  const byName = new Map(methods.map((m) => [m.name, m]));
  const router = new Router({ prefix: '/interaction/:uid' });

  async function details(ctx: Context): Promise<Details | undefined> {
    try {
      const d = await provider.interactionDetails(ctx.req, ctx.res);
      if (d.uid === ctx.params.uid) return d;
    } catch {
      // A missing or expired interaction cookie: the person gets a page, not an error dump.
    }
    await renderView(ctx, 'message', EXPIRED, 400);
    return undefined;
  }

  async function clientName(d: Details): Promise<string> {
    const client = await provider.Client.find(String(d.params.client_id));
    return (client?.clientName as string | undefined) ?? String(d.params.client_id);
  }

  function normalise(username: string | undefined): string {
    return (username ?? '').trim().slice(0, 320);
  }

  async function stepContext(ctx: Context, d: Details, method: string, username: string, user: User | undefined): Promise<StepContext> {
    const base = `/interaction/${d.uid}`;
    const alternatives: Record<string, string> = {};
    for (const m of methods) {
      if (m.name !== method && user && (await m.isAvailable(user))) {
        alternatives[m.name] = `${base}/method/${m.name}?username=${encodeURIComponent(username)}`;
      }
    }
    return { action: `${base}/method/${method}`, username, alternatives, backHref: base, clientName: await clientName(d) };
  }

  async function showMethod(ctx: Context, d: Details, method: AuthMethod, username: string, user: User | undefined, error?: string, status = 200) {
    const step = method.render(await stepContext(ctx, d, method.name, username, user), error);
    await renderView(ctx, step.view, step.locals, error ? status : 200);
  }

  async function showIdentifier(ctx: Context, d: Details, username = '', error?: string) {
    await renderView(
      ctx,
      'identifier',
      { title: 'Sign in', action: `/interaction/${d.uid}/identifier`, username, error: error ?? null, clientName: await clientName(d) },
      error ? 400 : 200,
    );
  }

  /** First method in the flow's order this user can use; unknown users get the fallback like everyone else. */
  async function chooseMethod(user: User | undefined): Promise<AuthMethod> {
    if (user) {
      for (const m of methods) if (await m.isAvailable(user)) return m;
    }
    return byName.get(deps.fallback)!;
  }

  /** The grant for this sign-in; one obtained with a TAP ends with the TAP and is indexed under it. */
  async function createGrant(d: Details, accountId: string, capAt?: number, tapId?: string): Promise<string> {
    const grant = new provider.Grant({
      accountId,
      clientId: String(d.params.client_id),
      ...(capAt !== undefined ? { expiresIn: Math.max(1, Math.floor((capAt - deps.clock.now()) / 1000)) } : {}),
    });
    if (typeof d.params.scope === 'string') grant.addOIDCScope(d.params.scope);
    const missingClaims = (d.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
    if (missingClaims.length) grant.addOIDCClaims(missingClaims);
    const grantId = await grant.save();
    if (tapId && capAt !== undefined) {
      await deps.redis.addToIndex(keys.tapIndex(accountId, tapId), `Grant:${grantId}`, capAt);
    }
    return grantId;
  }

  async function finish(ctx: Context, result: InteractionResults) {
    const url = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(url);
  }

  async function finishLogin(ctx: Context, d: Details, ok: MethodSuccess) {
    const grantId = await createGrant(d, ok.accountId, ok.capAt, ok.tapId);
    const extras: LoginResultExtras = {
      ...(ok.capAt !== undefined ? { capAt: ok.capAt } : {}),
      ...(ok.tapId ? { tapId: ok.tapId } : {}),
    };
    log.info('signin.success', { accountId: ok.accountId, amr: ok.amr, clientId: d.params.client_id });
    await finish(ctx, { login: { accountId: ok.accountId, amr: ok.amr, acr: ok.acr, remember: true, ...extras }, consent: { grantId } });
  }

  /** Clients are the deployment's own, so consent is implied; a TAP session's new grants end with the TAP. */
  async function finishConsent(ctx: Context, d: Details) {
    const accountId = d.session?.accountId;
    if (!accountId) return showIdentifier(ctx, d);
    let capAt: number | undefined;
    let tapId: string | undefined;
    if (d.session?.amr?.includes('tap')) {
      const user = await directory.findById(accountId);
      const tap = user && (await deps.taps.usableTap(user));
      // The TAP this session was obtained with is gone or spent: sign in again.
      if (!tap) return showIdentifier(ctx, d, user?.userPrincipalName ?? '', 'Your Temporary Access Pass has ended. Sign in again.');
      capAt = tap.end;
      tapId = tap.id;
    }
    const grantId = await createGrant(d, accountId, capAt, tapId);
    await finish(ctx, { consent: { grantId } });
  }

  router.get('/', async (ctx) => {
    const d = await details(ctx);
    if (!d) return;
    if (d.prompt.name === 'consent') return finishConsent(ctx, d);
    await showIdentifier(ctx, d, typeof d.params.login_hint === 'string' ? normalise(d.params.login_hint) : '');
  });

  router.post('/identifier', async (ctx) => {
    const d = await details(ctx);
    if (!d) return;
    const form = await readForm(ctx);
    const username = normalise(form.username);
    if (!username) return showIdentifier(ctx, d, '', 'Enter your email or username.');
    const user = await directory.findByUpn(username);
    await showMethod(ctx, d, await chooseMethod(user), username, user);
  });

  router.get('/method/:method', async (ctx) => {
    const d = await details(ctx);
    if (!d) return;
    const method = byName.get(ctx.params.method!);
    const username = normalise(typeof ctx.query.username === 'string' ? ctx.query.username : '');
    if (!method || !username) return showIdentifier(ctx, d, username);
    const user = await directory.findByUpn(username);
    // Switching to a method the user cannot use would tell the asker something; fall back instead.
    const usable = user ? await method.isAvailable(user) : false;
    await showMethod(ctx, d, usable ? method : await chooseMethod(user), username, user);
  });

  router.post('/method/:method', async (ctx) => {
    const d = await details(ctx);
    if (!d) return;
    const method = byName.get(ctx.params.method!);
    const form = await readForm(ctx);
    const username = normalise(form.username);
    if (!method || !username) return showIdentifier(ctx, d, username, 'Enter your email or username.');
    const user = await directory.findByUpn(username);
    const result = await method.verify(user, form);
    if (!result.ok) return showMethod(ctx, d, method, username, user, result.error, result.status ?? 400);
    await finishLogin(ctx, d, result);
  });

  return router;
}
