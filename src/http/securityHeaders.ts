import type { Middleware } from 'koa';

/**
 * Strict CSP for every page: nothing inline, nothing from elsewhere but the brand's stylesheet and images (their
 * origins, brandSources). oidc-provider's form_post page, the one with an inline script, is replaced by ours
 * (ownFormPostPages), which has none.
 */
export function pageCsp(formActionSources: string[] = [], brand: { style: string[]; img: string[] } = { style: [], img: [] }): string {
  return [
    "default-src 'none'",
    ["style-src 'self'", ...brand.style].join(' '),
    "script-src 'self'",
    ["img-src 'self' data:", ...brand.img].join(' '),
    "connect-src 'self'",
    // Browsers apply form-action to the redirects after a submission too: the last step of a sign-in redirects
    // to the client, so the clients' redirect URI origins must be allowed here.
    ["form-action 'self'", ...formActionSources].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** CSP sources for the clients' redirect URIs: an origin, or a private-use scheme (`com.example.app:`). */
export function redirectSources(redirectUris: string[]): string[] {
  const sources = new Set<string>();
  for (const uri of redirectUris) {
    try {
      const u = new URL(uri);
      sources.add(u.origin !== 'null' ? u.origin : u.protocol);
    } catch {
      // Validated by oidc-provider; an unparsable one cannot be a redirect target anyway.
    }
  }
  return [...sources];
}

/**
 * Headers of every response. HSTS whenever the request came over TLS, and always for an https issuer: a browser
 * reaches such a deployment over https anyway (through a TLS-terminating proxy, even without TRUST_PROXY).
 * All of them are set before the rest runs: oidc-provider writes its responses (its logout, error and form_post
 * pages) itself, so headers set afterwards would not reach them. The CSP thus goes on every response, which
 * costs nothing on the ones that are not HTML.
 */
export function securityHeaders(formActionSources: string[] = [], httpsIssuer = false, brand?: { style: string[]; img: string[] }): Middleware {
  const PAGE_CSP = pageCsp(formActionSources, brand);
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: under it a browser sends `Origin: null` with our own form posts, which the origin checks
    // (sameOriginPosts, the security-info page) must refuse. same-origin tells other sites nothing either.
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Content-Security-Policy', PAGE_CSP);
    if (ctx.secure || httpsIssuer) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}
