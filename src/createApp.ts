import Koa from 'koa';
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
 * here is the standalone server's: request log, error pages, the issuer pin and the operations endpoints.
 */
export function createApp({ issuer, plugin, redis, trustProxy, metricsToken }: CreateAppOptions): { app: Koa; provider: Provider; metrics: Metrics } {
  const provider = new Provider(issuer, plugin.configuration);
  provider.proxy = trustProxy;
  const metrics = new Metrics();
  // Sign-ins are counted as they are audited: method and result are fixed sets, so the series stay bounded.
  plugin.audit.subscribe({ signIn: (input) => metrics.inc('oidc_tap_signins_total', { method: input.method, result: input.result }) });
  metrics.collect('oidc_tap_password_hashes_total', 'Password hashes (scrypt) run by the password step', 'counter', () => plugin.passwordHashes.runs);
  metrics.collect('oidc_tap_password_hashes_refused_total', 'Password posts answered busy, unhashed', 'counter', () => plugin.passwordHashes.refused);
  // One trusted hop: the address is the last X-Forwarded-For entry, the one our proxy added; entries a client
  // sent itself come before it and are never taken (they would dodge the per-address rate limits).
  const app = new Koa({ proxy: trustProxy, maxIpsCount: 1 });
  // Every absolute URL (discovery, redirects, form actions) is the issuer's, whatever Host or X-Forwarded-Host says.
  pinToIssuer(app, issuer);
  pinToIssuer(provider, issuer);

  // 1. Log and count every request (no query strings, cookies or bodies).
  app.use(requestLog(plugin.logger, metrics));
  // 2. Turn any error into a readable page or JSON, never a stack trace.
  app.use(errorPages(plugin.logger));
  // 3. The plugin's guards: security headers on every response (the strict CSP on every page, whose forms may
  //    lead to a client or an upstream provider), the token endpoint's rate limits, and the provider's hooks (a
  //    Redis outage answered 503, not oidc-provider's 500; a browser asking for an unknown path gets a 404 page;
  //    discovery may be cached briefly).
  app.use(plugin.guards(provider));
  // 4. Operations endpoints.
  app.use(async (ctx, next) => {
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
  });
  // 5. The sign-in pages (identifier, TAP, passkey, password, registration, security info) and their assets;
  //    their posts only from our own pages (another site's are refused before anything is read or counted).
  app.use(plugin.routes(provider));
  // 6. The Graph-shaped admin API (/v1.0) and its OpenAPI description (/openapi.json).
  app.use(plugin.api(provider));
  // 7. Everything OpenID Connect: discovery, authorize, token, userinfo, jwks, introspection…
  const oidc = provider.callback();
  app.use(async (ctx) => {
    ctx.respond = false;
    await oidc(ctx.req, ctx.res);
  });

  return { app, provider, metrics };
}
