import * as client from 'openid-client';
import type { Clock } from '../../Clock.js';
import type { FederationDomain } from '../../config/AppConfig.js';
import type { Logger } from '../../log/Logger.js';
import type { Store } from '../../store/connectRedis.js';
import { keys } from '../../store/keys.js';
import { federatedAuthentication } from './federatedAuthentication.js';
import type { FederationState } from './FederationState.js';

export interface FederationSettings {
  /** `${ISSUER}/federation/callback`: the one redirect URI registered at every upstream provider. */
  redirectUri: string;
  /** Leeway when checking the times in an upstream ID token, seconds. */
  clockToleranceSeconds: number;
}

/**
 * Why an upstream answer did not give us a user. `unreachable`: the upstream did not answer; `refused`: it
 * answered the user with an error (they cancelled, or it would not sign them in); `invalid`: its answer did not
 * verify (code, nonce, issuer, signature); `noClaim`: it did not say who the user is.
 */
export type UpstreamFailureReason = 'unreachable' | 'refused' | 'invalid' | 'noClaim';

/** Why a federated sign-in did not give us a user: each reason gets its own page. */
export type FederationFailure =
  /** No such sign-in in progress: forged, replayed, expired, or another interaction's. */
  | { ok: false; reason: 'state' }
  | { ok: false; reason: UpstreamFailureReason; state: FederationState };

/** Who the upstream vouched for and how they signed in there. */
export interface FederationSuccess {
  ok: true;
  state: FederationState;
  /** The UPN the upstream asserted (the domain's `upnClaim`), not yet matched to a user. */
  upn: string;
  amr: string[];
  acr: string;
}

/** How long an upstream's discovery document (endpoints, keys' location) is used before it is fetched again. */
const DISCOVERY_TTL_MS = 3600_000;
/** How long the person may take at the upstream provider. */
const STATE_TTL_MS = 10 * 60_000;
/** Longest wait for an upstream answer, seconds: past it the person gets a page, not a hanging browser. */
const UPSTREAM_TIMEOUT_SECONDS = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The upstream gave no usable answer at all (down, slow, or not speaking HTTP/JSON). */
function unreachable(e: unknown): boolean {
  if (e instanceof TypeError) return true; // fetch failed: refused, reset, DNS
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return true;
  if (e instanceof client.ResponseBodyError) return e.status >= 500;
  if (e instanceof client.ClientError) return e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e.code === 'OAUTH_RESPONSE_IS_NOT_JSON';
  return false;
}

/**
 * Signs users of federated domains in at their domain's OpenID provider: authorization code + PKCE, with
 * `state` and `nonce` bound to the interaction in Redis and taken once, and the ID token checked by
 * openid-client (signature, issuer, audience, times, nonce).
 */
export class FederationService {
  private readonly discovered = new Map<string, { config: Promise<client.Configuration>; until: number }>();

  constructor(
    private readonly redis: Store,
    private readonly domains: Record<string, FederationDomain>,
    private readonly settings: FederationSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The federated domain of an identifier, when its domain is one. */
  domainOf(upn: string): string | undefined {
    const domain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
    return upn.includes('@') && Object.hasOwn(this.domains, domain) ? domain : undefined;
  }

  /** The origins of the upstream providers, which the sign-in pages' forms lead to. */
  origins(): string[] {
    return [...new Set(Object.values(this.domains).map((d) => new URL(d.issuer).origin))];
  }

  private configuration(domain: string): Promise<client.Configuration> {
    const now = this.clock.now();
    const cached = this.discovered.get(domain);
    if (cached && cached.until > now) return cached.config;
    const d = this.domains[domain]!;
    const auth = d.tokenEndpointAuthMethod === 'client_secret_post' ? client.ClientSecretPost(d.clientSecret) : client.ClientSecretBasic(d.clientSecret);
    const config = client.discovery(new URL(d.issuer), d.clientId, { [client.clockTolerance]: this.settings.clockToleranceSeconds }, auth, {
      timeout: UPSTREAM_TIMEOUT_SECONDS,
      // Config parsing admits http only for loopback issuers (tests, a provider on this machine).
      execute: LOOPBACK.has(new URL(d.issuer).hostname) ? [client.allowInsecureRequests] : [],
    });
    this.discovered.set(domain, { config, until: now + DISCOVERY_TTL_MS });
    // A failure is not kept: the next sign-in tries again rather than waiting out the hour.
    config.catch(() => {
      if (this.discovered.get(domain)?.config === config) this.discovered.delete(domain);
    });
    return config;
  }

  /**
   * Start a sign-in at the upstream of `username`'s domain for this interaction: the URL to send the browser
   * to. Throws when the upstream cannot be reached (its discovery document did not come).
   */
  async begin(interactionId: string, username: string): Promise<URL> {
    const domain = this.domainOf(username);
    if (!domain) throw new Error('not a federated domain');
    let config: client.Configuration;
    try {
      config = await this.configuration(domain);
    } catch (e) {
      this.log.warn('federation.unreachable', { domain, step: 'discovery', error: (e as Error).message });
      throw e;
    }
    const state = client.randomState();
    const record: FederationState = { interactionId, domain, username, nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
    await this.redis.set(keys.federationState(state), JSON.stringify(record), 'PX', STATE_TTL_MS);
    return client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      state,
      nonce: record.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(record.verifier),
      code_challenge_method: 'S256',
      login_hint: username,
    });
  }

  /** The sign-in a `state` belongs to, without taking it: the callback only needs to know its interaction. */
  async peek(state: string): Promise<FederationState | undefined> {
    const raw = await this.redis.get(keys.federationState(state));
    return raw ? (JSON.parse(raw) as FederationState) : undefined;
  }

  /**
   * Finish the sign-in of `state` with the upstream's answer (the callback's query): take the state (once),
   * redeem the code, check the ID token, and read the UPN claim (from the ID token, else from userinfo).
   */
  async complete(interactionId: string, state: string, response: URLSearchParams): Promise<FederationSuccess | FederationFailure> {
    const raw = await this.redis.getdel(keys.federationState(state));
    const record = raw ? (JSON.parse(raw) as FederationState) : undefined;
    if (!record || record.interactionId !== interactionId) {
      this.log.warn('federation.failed', { reason: 'state' });
      return { ok: false, reason: 'state' };
    }
    const fail = (reason: UpstreamFailureReason, e?: unknown): FederationFailure => {
      this.log.warn('federation.failed', { domain: record.domain, reason, ...(e ? { error: (e as Error).message } : {}) });
      return { ok: false, reason, state: record };
    };
    const domain = this.domains[record.domain];
    if (!domain) return fail('invalid');
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = response.toString();
    try {
      const config = await this.configuration(record.domain);
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        expectedState: state,
        expectedNonce: record.nonce,
        pkceCodeVerifier: record.verifier,
      });
      const claims = tokens.claims()!;
      let source: Record<string, unknown> = claims;
      // Providers that follow OpenID Connect to the letter put scope claims in userinfo, not the ID token.
      if (typeof claims[domain.upnClaim] !== 'string') source = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      const upn = source[domain.upnClaim];
      // An email the upstream itself has not verified says nothing about who the user is.
      if (typeof upn !== 'string' || upn === '' || (domain.upnClaim === 'email' && source.email_verified === false)) return fail('noClaim');
      this.log.info('federation.success', { domain: record.domain });
      return { ok: true, state: record, upn: upn.trim(), ...federatedAuthentication(claims.amr, claims.acr) };
    } catch (e) {
      if (e instanceof client.AuthorizationResponseError) return fail('refused', e);
      return fail(unreachable(e) ? 'unreachable' : 'invalid', e);
    }
  }
}
