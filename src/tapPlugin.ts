import compose from 'koa-compose';
import type { Middleware } from 'koa';
import type { Configuration } from 'oidc-provider';
import type { Clock } from './Clock.js';
import { createServices } from './createServices.js';
import type { UserDirectory } from './directory/UserDirectory.js';
import type { Users } from './directory/Users.js';
import type { SecurityEvents } from './events/SecurityEvents.js';
import type { PasskeyService } from './passkeys/PasskeyService.js';
import type { RateLimiter } from './ratelimit/RateLimiter.js';
import type { Revoker } from './revocation/Revoker.js';
import type { TapService } from './tap/TapService.js';
import { accountRouter } from './account/accountRouter.js';
import { adminRouter } from './admin/adminRouter.js';
import type Provider from 'oidc-provider';
import type { AppConfig } from './config/AppConfig.js';
import type { AuditLog } from './audit/AuditLog.js';
import { interactionRouter } from './flow/interactionRouter.js';
import { sameOriginPosts } from './http/sameOriginPosts.js';
import { redirectSources, securityHeaders } from './http/securityHeaders.js';
import { staticAssets } from './http/staticAssets.js';
import { tokenRateLimit } from './http/tokenRateLimit.js';
import { deviceCodeRateLimit } from './http/deviceCodeRateLimit.js';
import { deviceQrCode } from './provider/deviceQrCode.js';
import { answerOutagesWith503 } from './provider/answerOutagesWith503.js';
import { flushBeforeResponse } from './provider/flushBeforeResponse.js';
import { fetchTokenAhead } from './provider/fetchTokenAhead.js';
import { inRequestScope } from './http/inRequestScope.js';
import { requestScopedClient } from './store/requestScopedClient.js';
import { answerUnknownPathsWith404 } from './provider/answerUnknownPathsWith404.js';
import { cacheDiscovery } from './provider/cacheDiscovery.js';
import { servesEntraDiscoveryPath } from './provider/servesEntraDiscoveryPath.js';
import { graphOperations } from './graph/graphOperations.js';
import type { GraphDeps } from './graph/GraphDeps.js';
import { graphRouter } from './graph/graphRouter.js';
import { openApiDocument } from './graph/openApiDocument.js';
import { LoginCompleter } from './flow/LoginCompleter.js';
import { PendingLogins } from './flow/PendingLogins.js';
import { registrationRouter } from './flow/registrationRouter.js';
import type { Logger } from './log/Logger.js';
import type { AuthMethod } from './methods/AuthMethod.js';
import { ExcludeFederatedUsers } from './methods/federation/ExcludeFederatedUsers.js';
import { FederationMethod } from './methods/federation/FederationMethod.js';
import { federationRouter } from './flow/federationRouter.js';
import { PasskeyMethod } from './methods/passkey/PasskeyMethod.js';
import type { HashGate } from './methods/password/HashGate.js';
import { PasswordMethod } from './methods/password/PasswordMethod.js';
import { TapMethod } from './methods/tap/TapMethod.js';
import { providerConfiguration } from './provider/providerConfiguration.js';
import type { Secrets } from './secrets/Secrets.js';
import type { Store } from './store/connectRedis.js';
import { Catalogue } from './i18n/Catalogue.js';
import type { Branding } from './config/AppConfig.js';
import { parseConfig } from './config/parseConfig.js';
import { ConfigError } from './errors.js';
import { brandSources } from './http/brandSources.js';
import { brandStylesheet } from './http/brandStylesheet.js';
import { ownFormPostPages } from './provider/ownFormPostPages.js';
import { seedConfig, type SeedOptions } from './bootstrap/seedConfig.js';
import { routesUnderTheirRoots } from './http/routesUnderTheirRoots.js';

export interface TapPluginOptions {
  /** The public issuer URL: its origin is the WebAuthn origin and its host the RP ID. */
  issuer: string;
  /** Redis connection (see connectRedis). */
  redis: Store;
  /** The validated config file. */
  config: AppConfig;
  secrets: Secrets;
  /** Source of "now"; default the system clock. */
  clock?: Clock;
  /** Default: JSON lines on stdout. */
  logger?: Logger;
  /**
   * Where users live (`UserDirectory`: two lookups, optional list/create/update/delete); default the built-in
   * Redis directory. TAPs, passkeys, sessions and counters stay in `redis` whichever it is.
   */
  directory?: UserDirectory;
  /**
   * The organisation's name, look, help desk, language and time zone on the pages (the shape of config `branding`,
   * checked the same way); default the config's `branding`. A relative `messagesDir` is taken from the current
   * directory.
   */
  branding?: Branding;
}

/** Temporary Access Pass sign-in for an oidc-provider + Koa application. */
export interface TapPlugin {
  /** Merge into (or use as) the oidc-provider configuration. */
  configuration: Configuration;
  /**
   * The sign-in and security-info pages with everything they need: their assets under `/assets/`, their headers
   * (the strict CSP, `nosniff`, `DENY` framing, `same-origin` referrer, HSTS for an https issuer) and the guard that
   * refuses other sites' posts. Mount before the provider's own routes.
   */
  routes(provider: Provider): Middleware;
  /**
   * What the provider's own endpoints need: the page headers on its responses (its logout, error and form_post
   * pages), the token endpoint's rate limits, Redis outages answered 503 rather than 500, a readable 404 page and
   * briefly cached discovery. Installs its hooks on `provider` (call once); mount the middleware just before the
   * provider's callback, or first to give every response the headers.
   */
  guards(provider: Provider): Middleware;
  /** Every write and sign-in outcome, in Redis streams with bounded retention (option `auditRetentionDays`). */
  audit: AuditLog;
  /** The security-event webhook (config `securityEvents`), when configured; its loop runs until close(). */
  securityEvents?: SecurityEvents;
  /** Stop background work (the TAP expiry sweep, the security-event and back-channel logout delivery loops); call before closing the Redis connection. */
  close(): Promise<void>;
  /** The Graph-shaped admin API under `/v1.0`, and its description at `/openapi.json`. */
  api(provider: Provider): Middleware;
  /** The directory in use, read through `toUser`; its capabilities by `can`. */
  directory: Users;
  taps: TapService;
  passkeys: PasskeyService;
  revoker: Revoker;
  logger: Logger;
  /** Origins of the federated domains' providers: the sign-in pages' forms lead there (CSP `form-action`). */
  upstreamOrigins: string[];
  /** The rate limits (option `rateLimits`): the flow and the API take from them; createApp guards /token. */
  limiter: RateLimiter;
  /** The password step's admission to hashing; its counts are in `/metrics`. */
  passwordHashes: HashGate;
  /**
   * Seed the config file's users and policy into Redis (bootstrap/seedConfig): what was never seeded and does not
   * exist; with `overwrite`, what the file says, over what the API changed. With a host's directory, config users
   * are refused (a `ConfigError` naming `users`): they would be nobody's.
   */
  importConfig(opts?: SeedOptions): Promise<void>;
}

export function tapPlugin(pluginOptions: TapPluginOptions): TapPlugin {
  // A host's branding is checked as the config file's would be.
  const branding = pluginOptions.branding ? parseConfig({ branding: pluginOptions.branding }).branding! : (pluginOptions.config.branding ?? {});
  // Every service reads through the request's scope: what one request reads twice, Redis answers once (#18).
  const options = { ...pluginOptions, redis: requestScopedClient(pluginOptions.redis), config: { ...pluginOptions.config, branding } };
  // Every message the pages show, in every language they speak: locales/, then the deployment's own directory over
  // it. Before anything starts: a broken file or a default language nobody speaks stops start-up, naming the field.
  let catalogue: Catalogue;
  try {
    catalogue = Catalogue.load({ dir: branding.messagesDir, defaultLocale: branding.defaultLocale });
  } catch (e) {
    throw new ConfigError('branding.messagesDir', (e as Error).message);
  }
  if (branding.defaultLocale && !catalogue.locales.includes(branding.defaultLocale)) {
    throw new ConfigError('branding.defaultLocale', `must be one of the languages the pages speak (${catalogue.locales.join(', ')})`);
  }
  const { redis, config, secrets } = options;
  const { clock, logger, audit, securityEvents, backchannelLogout, tapExpiry, directory, revoker, taps, passkeys, limiter, federation } = createServices(options);
  securityEvents?.start();
  backchannelLogout?.start();
  tapExpiry.start();
  const pending = new PendingLogins(redis, clock);
  const passkeyMethod = new PasskeyMethod(passkeys, directory);
  const passwordMethod = new PasswordMethod();
  // The flow's order: a TAP, when the user has one, comes first (an admin issued it for a reason: onboarding or
  // recovery), then the user's passkeys, then their domain's provider, then the password. A federated domain's
  // user thus reaches the password step only by choosing it, and only when they have one.
  const methods: AuthMethod[] = [
    new TapMethod(taps),
    config.options.allowPasskeyForFederatedUsers ? passkeyMethod : new ExcludeFederatedUsers(passkeyMethod, federation, directory),
    new FederationMethod(federation),
    passwordMethod,
  ];

  // The pages' forms lead to the clients (the last redirect of a sign-in) and to the federated domains' providers.
  const redirectUris = config.clients.flatMap((c) => [...(c.redirect_uris ?? []), ...(c.post_logout_redirect_uris ?? [])]);
  const headers = securityHeaders([...redirectSources(redirectUris), ...federation.origins()], new URL(options.issuer).protocol === 'https:', brandSources(branding));
  const PAGE_PREFIXES = ['/interaction/', '/account/', '/federation/', '/assets/'];
  // Every page, ours and the provider's, in the deployment's language and look.
  const speak: Middleware = (ctx, next) => {
    ctx.state.catalogue = catalogue;
    ctx.state.brand = branding;
    return next();
  };
  const pageHeaders: Middleware = (ctx, next) => (ctx.path === '/account' || PAGE_PREFIXES.some((p) => ctx.path.startsWith(p)) ? headers(ctx, next) : next());

  const plugin: TapPlugin = {
    configuration: providerConfiguration({
      issuer: options.issuer,
      redis,
      directory,
      clients: config.clients,
      resources: config.resources ?? [],
      options: config.options,
      jwks: secrets.jwks,
      cookieKeys: secrets.cookieKeys,
      clock,
      uiLocales: catalogue.locales,
    }),
    routes(provider) {
      backchannelLogout?.takeOverLogoutsOf(provider);
      const delegated = new Map(config.clients.map((c) => [c.client_id, c.delegatedPermissions ?? []]));
      const completer = new LoginCompleter(provider, redis, clock, logger, (id) => delegated.get(id) ?? []);
      const flow = interactionRouter({ redis, provider, directory, taps, methods, fallback: 'password', phrFallback: 'passkey', completer, pending, audit, limiter });
      const registration = registrationRouter({
        provider,
        directory,
        taps,
        passkeys,
        pending,
        completer,
        deleteTapAfterPasskey: config.options.deleteTapAfterPasskey,
        log: logger,
      });
      const pageDeps = {
        provider,
        issuer: options.issuer,
        redis,
        clock,
        directory,
        taps,
        passkeys,
        reauthenticationMaxAgeSeconds: config.options.reauthenticationMaxAgeSeconds,
        log: logger,
      };
      const account = accountRouter(pageDeps);
      // The admin console: security info's sign-in machinery, the admin API's services and authorization.
      const adminConsole = adminRouter({ ...pageDeps, revoker, audit });
      const upstream = federationRouter({ provider, directory, federation, completer, methods, audit });
      // Posts to the pages come only from our own pages: another site's are refused before anything is read.
      const ownPosts = sameOriginPosts(options.issuer, ['/interaction/', '/account/', '/admin/'], logger);
      const verification = plugin.configuration.routes?.code_verification ?? '/device';
      return compose([speak, pageHeaders, staticAssets(brandStylesheet(branding)), ownPosts, deviceQrCode(verification, `${options.issuer.replace(/\/+$/, '')}${verification}`), ...[flow, registration, account, adminConsole, upstream].map(routesUnderTheirRoots)]);
    },
    guards(provider) {
      // The provider's own pages (logout, errors, device, 404) speak with the same catalogue.
      provider.use(speak);
      ownFormPostPages(provider);
      answerOutagesWith503(provider);
      // Inside the outage handler: a Redis that cannot take the request's saves makes it a 503 like any outage.
      flushBeforeResponse(provider);
      answerUnknownPathsWith404(provider);
      cacheDiscovery(provider);
      servesEntraDiscoveryPath(provider);
      // Before oidc-provider reads the request: per address, and per configured client; the device page's codes per address.
      const clientIds = new Set(config.clients.map((c) => c.client_id));
      const routes = plugin.configuration.routes ?? {};
      const tokenPaths = new Set([routes.token ?? '/token', routes.introspection ?? '/token/introspection', routes.revocation ?? '/token/revocation', routes.userinfo ?? '/me']);
      return compose([inRequestScope, speak, headers, tokenRateLimit(limiter, tokenPaths, clientIds, fetchTokenAhead(provider)), deviceCodeRateLimit(limiter, routes.code_verification ?? '/device')]);
    },
    api(provider) {
      const deps: GraphDeps = {
        provider,
        issuer: options.issuer,
        clients: config.clients,
        directory,
        taps,
        passkeys,
        revoker,
        audit,
        clock,
        log: logger,
        limiter,
        reauthenticationMaxAgeSeconds: config.options.reauthenticationMaxAgeSeconds,
        corsOrigins: config.options.adminApiCorsOrigins,
      };
      const document = JSON.stringify(openApiDocument(options.issuer, graphOperations));
      const router = graphRouter(deps, graphOperations);
      return async (ctx, next) => {
        if (ctx.path !== '/openapi.json') return router(ctx, next);
        ctx.type = 'application/json';
        ctx.body = document;
      };
    },
    directory,
    taps,
    passkeys,
    revoker,
    logger,
    upstreamOrigins: federation.origins(),
    limiter,
    passwordHashes: passwordMethod.hashes,
    audit,
    ...(securityEvents ? { securityEvents } : {}),
    async close() {
      // The sweep first: the logout tokens of the TAPs it ends are queued before the delivery loop stops.
      await tapExpiry.close();
      await securityEvents?.close();
      await backchannelLogout?.close();
      await directory.close();
      // Last: records the loops above wrote may still wait for Redis.
      await audit.close();
    },
    async importConfig(opts = { overwrite: false }) {
      await seedConfig({ redis, directory, taps, log: logger }, config, opts);
    },
  };
  return plugin;
}
