import type Koa from 'koa';
import type { Middleware } from 'koa';
import Provider from 'oidc-provider';
import type { Store } from './store/connectRedis.js';
import type { TapPlugin } from './tapPlugin.js';
import { errorPages } from './http/errorPages.js';
import { hasBearer } from './http/hasBearer.js';
import { Metrics } from './http/Metrics.js';
import { pinToIssuer } from './http/pinToIssuer.js';
import { requestLog } from './http/requestLog.js';

export interface CreateAppOptions {
  issuer: string;
  plugin: TapPlugin;
  redis: Store;
  /** Trust X-Forwarded-* (only behind a proxy that sets them). */
  trustProxy: boolean;
  /** `METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

/**
 * The whole server: every request passes through this chain, top to bottom. Everything oidc-tap's own comes from
 * the plugin's public API, as a host application would mount it (README, "Using it as a plugin"); what is added
 * here is the standalone server's: request log, error pages, the issuer pin and the operations endpoints. The
 * returned `app` is the provider's own Koa application, with the chain in front of the provider's middleware.
 */
export function createApp({ issuer, plugin, redis, trustProxy, metricsToken }: CreateAppOptions): { app: Koa; provider: Provider; metrics: Metrics } {
  const provider = new Provider(issuer, plugin.configuration);
  // One trusted hop: the address is the last X-Forwarded-For entry, the one our proxy added; entries a client
  // sent itself come before it and are never taken (they would dodge the per-address rate limits).
  provider.proxy = trustProxy;
  provider.maxIpsCount = 1;
  const metrics = new Metrics();
  // Sign-ins are counted as they are audited: method and result are fixed sets, so the series stay bounded.
  plugin.audit.subscribe({ signIn: (input) => metrics.inc('oidc_tap_signins_total', { method: input.method, result: input.result }) });
  metrics.collect('oidc_tap_password_hashes_total', 'Password hashes (scrypt) run by the password step', 'counter', () => plugin.passwordHashes.runs);
  metrics.collect('oidc_tap_password_hashes_refused_total', 'Password posts answered busy, unhashed', 'counter', () => plugin.passwordHashes.refused);
  // Every absolute URL (discovery, redirects, form actions) is the issuer's, whatever Host or X-Forwarded-Host says.
  pinToIssuer(provider, issuer);

  const chain: Middleware[] = [
    // 1. Log and count every request (no query strings, cookies or bodies).
    requestLog(plugin.logger, metrics),
    // 2. Turn any error into a readable page or JSON, never a stack trace.
    errorPages(plugin.logger),
    // 3. The plugin's guards: security headers on every response (the strict CSP on every page, whose forms may
    //    lead to a client or an upstream provider), the token endpoint's rate limits, and the provider's hooks (a
    //    Redis outage answered 503, not oidc-provider's 500; a browser asking for an unknown path gets a 404 page;
    //    discovery may be cached briefly).
    plugin.guards(provider),
    // 4. Operations endpoints.
    async (ctx, next) => {
      if (ctx.path === '/healthz') {
        ctx.body = { status: 'ok' };
      } else if (ctx.path === '/readyz') {
        const ready = await Promise.race([
          redis.ping().then(() => true, () => false),
          new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref()),
        ]);
        ctx.status = ready ? 200 : 503;
        ctx.body = { status: ready ? 'ready' : 'redis unreachable' };
      } else if (ctx.path === '/metrics') {
        if (metricsToken !== undefined && !hasBearer(ctx.get('authorization'), metricsToken)) {
          ctx.status = 401;
          ctx.set('WWW-Authenticate', 'Bearer');
          ctx.body = { error: 'unauthorized' };
          return;
        }
        ctx.type = 'text/plain; version=0.0.4';
        ctx.body = metrics.render();
      } else {
        return next();
      }
    },
    // 5. The sign-in pages (identifier, TAP, passkey, password, registration, security info) and their assets;
    //    their posts only from our own pages (another site's are refused before anything is read or counted).
    plugin.routes(provider),
    // 6. The Graph-shaped admin API (/v1.0) and its OpenAPI description (/openapi.json).
    plugin.api(provider),
  ];
  // 7. Everything OpenID Connect: discovery, authorize, token, userinfo, jwks, introspection… The chain above runs
  //    in front of the provider's own middleware (the hooks the guards gave it, then its routes), in the provider's
  //    Koa application: one application, so one request context per request, as a host mounting the plugin with
  //    `provider.use` would have it (a host's own Koa application in front of the provider costs a second one).
  provider.middleware.unshift(...chain);
  const app: Koa = provider;

  return { app, provider, metrics };
}
