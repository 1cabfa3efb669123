import type Provider from 'oidc-provider';

/** Where MSAL's default (Entra ID) mode looks for the discovery document: `{authority}/v2.0/.well-known/…`. */
const ENTRA_DISCOVERY_PATH = '/v2.0/.well-known/openid-configuration';

/**
 * Serve the discovery document at Entra ID's path too, so that an app whose MSAL keeps its default protocol mode
 * (only `knownAuthorities` set) finds the endpoints; the document is the same, naming our own endpoints.
 */
export function servesEntraDiscoveryPath(provider: Provider): void {
  provider.use(async (ctx, next) => {
    if (ctx.path === ENTRA_DISCOVERY_PATH) ctx.path = '/.well-known/openid-configuration';
    await next();
  });
}
