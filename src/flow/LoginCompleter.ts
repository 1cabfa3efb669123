import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Clock } from '../Clock.js';
import type { Logger } from '../log/Logger.js';
import type { MethodSuccess } from '../methods/AuthMethod.js';
import type { LoginResultExtras } from '../provider/lifetimes.js';
import type { Store } from '../store/connectRedis.js';
import { ConflictError } from '../errors.js';
import { indexUnderTap } from '../store/indexUnderTap.js';
import { graphResource } from '../provider/graphResource.js';
import { apiConsent, type ApiConsent } from './apiConsent.js';

/** Shown when the TAP a sign-in rests on was replaced or deleted while the sign-in was finishing. */
export const TAP_GONE = 'Your Temporary Access Pass was replaced or deleted while you were signing in. Sign in again.';

export type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Ends an interaction: with a sign-in (and its grant), with consent alone, or with an error for the client. */
export class LoginCompleter {
  constructor(
    private readonly provider: Provider,
    private readonly redis: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** A client's `delegatedPermissions`: the admin API scopes it may ask a person for. */
    private readonly delegatedOf: (clientId: string) => readonly string[],
  ) {}

  /** The admin API scopes this authorization asks the person for: accepted already, and still to ask. */
  apiConsent(d: Details, accountId: string): Promise<ApiConsent> {
    return apiConsent(this.provider, this.delegatedOf, d, accountId);
  }

  /**
   * The grant for this sign-in, with the admin API scopes in `approved` and no other; one obtained with a TAP
   * ends with the TAP and is indexed under it.
   */
  async createGrant(d: Details, accountId: string, capAt?: number, tapId?: string, approved: readonly string[] = []): Promise<string> {
    const grant = new this.provider.Grant({
      accountId,
      clientId: String(d.params.client_id),
      ...(capAt !== undefined ? { expiresIn: Math.max(1, Math.floor((capAt - this.clock.now()) / 1000)) } : {}),
    });
    if (typeof d.params.scope === 'string') grant.addOIDCScope(d.params.scope);
    const missingClaims = (d.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
    if (missingClaims.length) grant.addOIDCClaims(missingClaims);
    // The admin API's scopes: only what the person accepted (apiConsent); the rest stays missing, so the
    // provider asks for consent. At the login prompt they are not listed as missing, hence `approved`.
    const resourceScopes = { ...((d.prompt.details.missingResourceScopes as Record<string, string[]> | undefined) ?? {}) };
    const api = graphResource(this.provider.issuer);
    delete resourceScopes[api];
    if (approved.length) resourceScopes[api] = [...approved];
    for (const [resource, scopes] of Object.entries(resourceScopes)) grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    if (tapId && capAt !== undefined && !(await indexUnderTap(this.redis, accountId, tapId, `Grant:${grantId}`, capAt))) {
      // The TAP was replaced or deleted since it was checked, and what it granted revoked: so is this grant.
      await grant.destroy();
      throw new ConflictError(TAP_GONE);
    }
    return grantId;
  }

  async finish(ctx: Context, result: InteractionResults): Promise<void> {
    // A consent-only result keeps the login of the same authorization (e.g. one with prompt=login).
    const url = await this.provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: !result.login });
    ctx.status = 303;
    ctx.redirect(url);
  }

  /**
   * Sign the user in and send them back to the client with consent given for its sign-in (our clients are our
   * own) and for the admin API scopes already accepted; any others bring the consent page next.
   */
  async login(ctx: Context, d: Details, ok: MethodSuccess): Promise<void> {
    const extras: LoginResultExtras = {
      ...(ok.capAt !== undefined ? { capAt: ok.capAt } : {}),
      ...(ok.tapId ? { tapId: ok.tapId } : {}),
    };
    this.log.info('signin.success', { accountId: ok.accountId, amr: ok.amr, clientId: d.params.client_id });
    const login = { accountId: ok.accountId, amr: ok.amr, acr: ok.acr, remember: true, ...extras };
    // A device's sign-in (device authorization grant) gets no grant yet: the consent page asks the person to allow
    // the app by name first (finishConsent), and makes the grant then, capped by the session's TAP.
    if (d.deviceCode) return this.finish(ctx, { login });
    const { approved } = await this.apiConsent(d, ok.accountId);
    const grantId = await this.createGrant(d, ok.accountId, ok.capAt, ok.tapId, approved);
    await this.finish(ctx, { login, consent: { grantId } });
  }

  /** The user gave up: the client gets `access_denied`, as OpenID Connect says. */
  async abort(ctx: Context, description: string): Promise<void> {
    await this.finish(ctx, { error: 'access_denied', error_description: description });
  }
}
