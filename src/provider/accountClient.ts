import type { ClientMetadata } from 'oidc-provider';
import { INTERNAL_CLIENTS } from './INTERNAL_CLIENTS.js';

/** The client id of the security-info page, which signs its users in through this same provider. */
export const ACCOUNT_CLIENT_ID = INTERNAL_CLIENTS.account.id;

/** Where the provider sends the sign-ins of one of the product's own pages (security info by default) back to. */
export function accountRedirectUri(issuer: string, page: keyof typeof INTERNAL_CLIENTS = 'account'): string {
  return `${issuer.replace(/\/+$/, '')}${INTERNAL_CLIENTS[page].path}/callback`;
}

/**
 * One of the product's own pages (security info, the admin console) as an OpenID Connect client of its own
 * provider. It is public (no secret to keep: the code is redeemed in-process and bound by PKCE), and asks for
 * nothing beyond `openid`: what the person may do there is their roles', read from the directory at each request.
 */
export function accountClient(issuer: string, page: keyof typeof INTERNAL_CLIENTS = 'account'): ClientMetadata {
  return {
    client_id: INTERNAL_CLIENTS[page].id,
    client_name: INTERNAL_CLIENTS[page].name,
    redirect_uris: [accountRedirectUri(issuer, page)],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}
