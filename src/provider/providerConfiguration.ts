import { errors, interactionPolicy, type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { graphResource, graphScopes } from './graphResource.js';
import type { Options, ClientConfig, ResourceConfig } from '../config/AppConfig.js';
import { accountClient } from './accountClient.js';
import type { Users } from '../directory/Users.js';
import { accountClaims } from '../directory/accountClaims.js';
import { systemClock, type Clock } from '../Clock.js';
import type { Store } from '../store/connectRedis.js';
import { redisAdapterFactory } from '../store/redisAdapterFactory.js';
import type { TapSessionLinks } from '../store/TapSessionLinks.js';
import { lifetimes } from './lifetimes.js';
import { logoutSource, postLogoutSuccessSource } from './logoutPages.js';
import { deviceSuccessSource, userCodeConfirmSource, userCodeInputSource } from './devicePages.js';
import { renderProviderError } from './renderProviderError.js';
import { keepOfflineAccess } from './keepOfflineAccess.js';
import { tenantIdOf } from './tenantIdOf.js';
import { expandAppScope } from './expandAppScope.js';
import { ACR_VALUES } from '../methods/ACR_VALUES.js';
import { CookieSigner } from './CookieSigner.js';

export interface ProviderConfigurationInput {
  /** The public issuer URL; the security-info page's own client redirects back under it. */
  issuer: string;
  redis: Store;
  directory: Users;
  clients: ClientConfig[];
  /** The APIs of the deployment's apps (config `resources`): apps get access tokens for them. */
  resources?: readonly ResourceConfig[];
  options: Options;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  /** The product's clock: access tokens carry their sign-in's time by it (default: the real clock). */
  clock?: Clock;
  /** The languages the pages speak (the catalogue's locales), listed in discovery as `ui_locales_supported`. */
  uiLocales?: readonly string[];
}

/**
 * oidc-provider's prompts, plus three reasons to sign in again (or, with `prompt=none`, to fail with
 * `login_required`): a client asking `acr_values=phr` gets a passkey sign-in, so an existing password or TAP
 * session will not do; a session whose user the directory no longer knows is over; and so is a session signed in
 * longer than `sessionTtlSeconds` ago, even one stored before its lifetime was counted from the sign-in.
 */
function signInPolicy(sessionTtlSeconds: number) {
  const policy = interactionPolicy.base();
  // `prompt=select_account` (MSAL and many apps send it): before the sign-in, an account picker when the browser
  // has a session, the identifier step otherwise (showAccountPicker.ts). Answered by every sign-in (LoginCompleter).
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  const checks = policy.get('login')!.checks;
  checks.add(
    new interactionPolicy.Check('phr_required', 'a phishing-resistant sign-in is required', 'login_required', (ctx: KoaContextWithOIDC) => {
      const wanted = ctx.oidc.params?.acr_values;
      const phr = typeof wanted === 'string' && wanted.split(' ').includes('phr');
      return phr && ctx.oidc.session?.acr !== 'phr' ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  // oidc-provider loads the session's account (`findAccount`) before the prompts: one the directory no longer
  // knows (a host removed the user) ends the single sign-on, as it ends their refresh tokens and userinfo.
  checks.add(
    new interactionPolicy.Check('account_gone', 'the signed-in user is no longer in the directory', 'login_required', (ctx: KoaContextWithOIDC) =>
      ctx.oidc.session?.accountId && !ctx.oidc.account ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT,
    ),
  );
  checks.add(
    new interactionPolicy.Check('session_too_old', 'the sign-in session has ended', 'login_required', (ctx: KoaContextWithOIDC) =>
      ctx.oidc.session?.accountId && ctx.oidc.session.past(sessionTtlSeconds) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT,
    ),
  );
  return policy;
}

/** oidc-provider configuration for oidc-tap. An existing deployment can merge it into its own. */
export function providerConfiguration(input: ProviderConfigurationInput): Configuration {
  // Owned by this configuration (one provider): the session lifetime fills it, the adapter reads it.
  const tapSessions: TapSessionLinks = new Map();
  const clients = [
    ...input.clients.map(({ permissions: _permissions, delegatedPermissions: _delegated, ...metadata }) => metadata),
    accountClient(input.issuer),
    accountClient(input.issuer, 'admin'),
  ];
  const permissionsOf = new Map(input.clients.map((c) => [c.client_id, c.permissions ?? []]));
  // Deny by default: the security-info page's own client, and every client the config allows nothing, get none.
  const delegatedOf = new Map(input.clients.map((c) => [c.client_id, c.delegatedPermissions ?? []]));
  const clock = input.clock ?? systemClock;
  const api = graphResource(input.issuer);
  const resources = new Map((input.resources ?? []).filter((r) => r.identifier !== api).map((r) => [r.identifier, r]));
  // Client credentials' scopes, `<API>/.default` expanded to the application's permissions there.
  const appScope = (ctx: KoaContextWithOIDC, clientId: string) =>
    expandAppScope(ctx, new Map([[api, permissionsOf.get(clientId) ?? []], ...[...resources.values()].map((r) => [r.identifier, r.scopes] as const)]), api);
  return {
    // A code, refresh token or finished interaction is always followed by its account's claims: read them early.
    adapter: redisAdapterFactory(input.redis, tapSessions, { account: (id) => void input.directory.findById(id).catch(() => undefined) }),
    clients,
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      // Relying parties can then see when and how the user signed in without asking for it.
      require_auth_time: true,
    },
    findAccount: accountClaims(input.directory, tenantIdOf(input.issuer, input.options.tenantId)),
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      // Under openid so every ID token says how and when the user signed in, and in which tenant (`tid`, as Entra ID).
      openid: ['sub', 'acr', 'amr', 'auth_time', 'tid'],
      // The standard profile and email claims, so that a host directory's `claims` of these names are given out;
      // `oid` with them, as Entra ID gives it.
      profile: ['name', 'preferred_username', 'upn', 'oid', 'given_name', 'family_name', 'middle_name', 'nickname', 'picture', 'locale', 'zoneinfo', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    // The claims of the scopes asked go in the ID token too, as Entra ID puts them there: apps read the user's
    // name and UPN from it (MSAL's `account.username`) and never call userinfo.
    conformIdTokenClaims: false,
    acrValues: ACR_VALUES,
    discovery: {
      // oidc-provider does not publish the prompts it accepts; clients that check before sending one read them here.
      prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
      ui_locales_supported: [...(input.uiLocales ?? [])],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    // Not a parameter of our own: a hook on `scope` that runs after oidc-provider's scope check (keepOfflineAccess).
    extraParams: { scope: keepOfflineAccess },
    jwks: input.jwks,
    cookies: {
      keys: new CookieSigner(input.cookieKeys),
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: signInPolicy(input.options.sessionTtlSeconds) },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      // A client may introspect only its own tokens: no client learns about another's users.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      // Its pages are ours: the product's look and Content-Security-Policy, no inline style or external fonts.
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // Clients may register a `backchannel_logout_uri`. oidc-provider sends the logout tokens of a logout at
      // /session/end itself (the one server that handles it sends each once); the sessions our revocation ends get
      // theirs from src/events/BackchannelLogout.ts.
      backchannelLogout: { enabled: true },
      userinfo: { enabled: true },
      // Device authorization grant (RFC 8628), for clients that list its grant type. Codes of 8 consonants (no
      // look-alike characters, no words); the pages are ours, and the sign-in between them is the ordinary one.
      deviceFlow: { enabled: true, charset: 'base-20', mask: '****-****', userCodeInputSource, userCodeConfirmSource, successSource: deviceSuccessSource },
      // The admin API is a resource server of its own: its tokens carry it as audience and Graph permission
      // names as scopes, and are of no use at userinfo (nor userinfo's at the API).
      resourceIndicators: {
        enabled: true,
        // A client acting for a person that may have none of the API scopes it names gets an ordinary token (for
        // userinfo), not an API token with no scope.
        defaultResource: (ctx, client) => {
          if (ctx.oidc.params?.grant_type === 'client_credentials') return client ? appScope(ctx, client.clientId).resource : undefined;
          const named = graphScopes(ctx.oidc.params?.scope as string | undefined);
          const allowed: readonly string[] = (client && delegatedOf.get(client.clientId)) ?? [];
          return named.some((s) => allowed.includes(s)) ? api : undefined;
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource, client) => {
          const own = resource === api ? undefined : resources.get(resource);
          // Their tokens say who signed in and how; an application acting for nobody has no such token to get.
          if (own && ctx.oidc.params?.grant_type === 'client_credentials') throw new errors.InvalidTarget('client credentials cannot be used for this resource');
          if (own) {
            // The deployment's own API: every app may ask its scopes, and the consent prompt grants what it asked
            // without a page (finishConsent.ts). The TTL is a ceiling: lifetimes.ts cuts it to the grant's end (a TAP's).
            return {
              audience: own.identifier,
              scope: own.scopes.join(' '),
              accessTokenTTL: own.accessTokenTtlSeconds ?? input.options.accessTokenTtlSeconds,
              ...(own.accessTokenFormat === 'jwt' ? { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } } : { accessTokenFormat: 'opaque' }),
            };
          }
          if (resource !== api) throw new errors.InvalidTarget();
          // Applications get at most the permissions of their config entry; a client acting for a signed-in person
          // at most its `delegatedPermissions`, and those only once the person accepted them (consent page), while
          // the person's roles still decide what the token can do.
          const app = ctx.oidc.params?.grant_type === 'client_credentials';
          // With `resource=` given, defaultResource was not asked: `.default` and unknown scopes are handled here.
          const named = app ? appScope(ctx, client.clientId).resource : undefined;
          if (named !== undefined && named !== api) throw new errors.InvalidScope('requested scope is not one of this resource', String(ctx.oidc.params?.scope));
          const allowed = (app ? permissionsOf : delegatedOf).get(client.clientId) ?? [];
          return { audience: api, scope: allowed.join(' '), accessTokenFormat: 'opaque', accessTokenTTL: input.options.accessTokenTtlSeconds };
        },
      },
    },
    // When the person signed in, on each access token (a refreshed one keeps the first sign-in's): /me changes
    // need a recent one. By the product's clock, as the security-info page judges it: the age the provider
    // measured, carried over.
    // A token for one of the deployment's APIs says also how (`acr`, `amr`), so the API can demand a passkey
    // sign-in itself; the admin API's tokens stay as they were.
    extraTokenClaims: (ctx, token) => {
      if (token.kind !== 'AccessToken') return undefined;
      const source = ctx?.oidc?.entities?.AuthorizationCode ?? ctx?.oidc?.entities?.RefreshToken;
      if (typeof source?.authTime !== 'number') return undefined;
      const ageMs = Math.max(0, Date.now() - source.authTime * 1000);
      const authTime = Math.floor((clock.now() - ageMs) / 1000);
      const audience = token.resourceServer?.audience;
      if (typeof audience !== 'string' || !resources.has(audience)) return { auth_time: authTime };
      return { auth_time: authTime, ...(source.acr ? { acr: source.acr } : {}), ...(source.amr ? { amr: source.amr } : {}) };
    },
    ttl: lifetimes(input.options, tapSessions),
    // Refresh tokens rotate, so a stolen one is detected at its second use and the grant is revoked.
    rotateRefreshToken: true,
    renderError: renderProviderError,
    expiresWithSession: async (_ctx, code) => !code.scopes.has('offline_access'),
  };
}
