import { decodeJwt } from 'jose';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';

/** The `scope` the client sent: in the query or form, or in the request it pushed first (PAR). */
function askedScope(ctx: KoaContextWithOIDC): string {
  const pushed = ctx.oidc.entities.PushedAuthorizationRequest as { request?: string } | undefined;
  if (pushed?.request) {
    try {
      const { scope } = decodeJwt(pushed.request);
      return typeof scope === 'string' ? scope : '';
    } catch {
      return '';
    }
  }
  const body = (ctx.oidc as { body?: Record<string, unknown> }).body;
  const raw = ctx.method === 'POST' ? body?.scope : ctx.query.scope;
  return typeof raw === 'string' ? raw : '';
}

/**
 * Entra ID issues a refresh token for `offline_access` alone, and MSAL asks it without `prompt=consent`, which
 * oidc-provider requires (it drops the scope otherwise, before any hook but this one: `extraParams` validators run
 * after the scope check). Put it back when the client may have refresh tokens at all (its grant types, its
 * `scope` list) and the response is a code: the grant, the code and its tokens then carry it as if consent had
 * been prompted for. Our clients are the deployment's own, so consent to sign in is implied (finishConsent.ts);
 * what a refresh token can do, and when it ends (a TAP's end, its deletion), is decided by the grant as before.
 */
export function keepOfflineAccess(ctx: KoaContextWithOIDC, _value: unknown, client?: Client): void {
  if (!client?.grantTypeAllowed('refresh_token')) return;
  if (client.scope && !client.scope.split(' ').includes('offline_access')) return;
  const params = ctx.oidc.params as { scope?: string; response_type?: string } | undefined;
  if (!params || (params.response_type !== undefined && !params.response_type.split(' ').includes('code'))) return;
  const scopes = (params.scope ?? '').split(' ').filter(Boolean);
  if (scopes.includes('offline_access') || !askedScope(ctx).split(' ').includes('offline_access')) return;
  params.scope = [...scopes, 'offline_access'].join(' ');
}
