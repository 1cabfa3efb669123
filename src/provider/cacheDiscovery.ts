import type Provider from 'oidc-provider';

/**
 * The discovery document is public and the same for every request (every URL in it is built from the issuer
 * alone, see http/pinToIssuer.ts), so relying parties and shared caches may keep it for five minutes.
 */
export function cacheDiscovery(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.status === 200) ctx.set('Cache-Control', 'public, max-age=300');
  });
}
