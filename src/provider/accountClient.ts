import type { ClientMetadata } from 'oidc-provider';

/** The client id of the security-info page, which signs its users in through this same provider. */
export const ACCOUNT_CLIENT_ID = 'oidc-tap-account';

/** Where the provider sends the security-info page's sign-ins back to. */
export function accountRedirectUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/account/callback`;
}

/**
 * The security-info page as an OpenID Connect client of its own provider. It is public (no secret to keep: the
 * code is redeemed in-process and bound by PKCE), and asks for nothing beyond `openid`.
 */
export function accountClient(issuer: string): ClientMetadata {
  return {
    client_id: ACCOUNT_CLIENT_ID,
    client_name: 'Security info',
    redirect_uris: [accountRedirectUri(issuer)],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}
