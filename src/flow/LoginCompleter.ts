import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Clock } from '../Clock.js';
import type { Logger } from '../log/Logger.js';
import type { MethodSuccess } from '../methods/AuthMethod.js';
import type { LoginResultExtras } from '../provider/lifetimes.js';
import type { Store } from '../store/connectRedis.js';
import { ConflictError } from '../errors.js';
import { indexUnderSignIn } from '../store/indexUnderSignIn.js';
import type { SignInLink } from '../store/TapSessionLinks.js';
import { graphResource } from '../provider/graphResource.js';
import { apiConsent, type ApiConsent } from './apiConsent.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** Shown when the TAP a sign-in rests on was replaced or deleted while the sign-in was finishing. */
export const TAP_GONE: MessageRef = msg('tap.error.gone');
/** Shown when the passkey a sign-in rests on was deleted while the sign-in was finishing. */
export const PASSKEY_GONE: MessageRef = msg('passkey.error.gone');

/** How long a grant's passkey index lives when the grant's own end is unknown (it never outlives the grant's tokens' need). */
const GRANT_INDEX_FALLBACK_MS = 400 * 24 * 3600_000;

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
   * ends with the TAP and is indexed under it, one obtained with a passkey is indexed under the passkey.
   */
  async createGrant(d: Details, accountId: string, from: LoginResultExtras = {}, approved: readonly string[] = []): Promise<string> {
    const { capAt, tapId, passkeyId } = from;
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
    const link: SignInLink | undefined = tapId && capAt !== undefined ? { accountId, tapId } : passkeyId ? { accountId, passkeyId } : undefined;
    const expiresAtMs = capAt ?? (typeof grant.exp === 'number' ? grant.exp * 1000 : this.clock.now() + GRANT_INDEX_FALLBACK_MS);
    if (link && !(await indexUnderSignIn(this.redis, link, `Grant:${grantId}`, expiresAtMs))) {
      // The TAP or passkey was replaced or deleted since it was checked, and what it granted revoked: so is this grant.
      await grant.destroy();
      throw new ConflictError('The sign-in method was replaced or deleted while the sign-in finished.', 'tapId' in link ? TAP_GONE : PASSKEY_GONE);
    }
    return grantId;
  }

  async finish(ctx: Context, result: InteractionResults): Promise<void> {
    // A consent-only result keeps the login of the same authorization (e.g. one with prompt=login). Any outcome
    // but an error also answers `prompt=select_account`: signing in (with another account) is choosing one.
    const answer = result.error ? result : { ...result, select_account: {} };
    const url = await this.provider.interactionResult(ctx.req, ctx.res, answer, { mergeWithLastSubmission: !result.login });
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
      ...(ok.passkeyId ? { passkeyId: ok.passkeyId } : {}),
    };
    this.log.info('signin.success', { accountId: ok.accountId, amr: ok.amr, clientId: d.params.client_id });
    const login = { accountId: ok.accountId, amr: ok.amr, acr: ok.acr, remember: true, ...extras };
    // A device's sign-in (device authorization grant) gets no grant yet: the consent page asks the person to allow
    // the app by name first (finishConsent), and makes the grant then, capped by the session's TAP.
    if (d.deviceCode) return this.finish(ctx, { login });
    const { approved } = await this.apiConsent(d, ok.accountId);
    const grantId = await this.createGrant(d, ok.accountId, extras, approved);
    await this.finish(ctx, { login, consent: { grantId } });
  }

  /** The user gave up: the client gets `access_denied`, as OpenID Connect says. */
  async abort(ctx: Context, description: string): Promise<void> {
    await this.finish(ctx, { error: 'access_denied', error_description: description });
  }
}
