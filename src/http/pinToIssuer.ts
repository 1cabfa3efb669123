import type Koa from 'koa';

/** The path and query of a request target, also of an absolute one (`GET http://host/path HTTP/1.1`). */
function pathOf(target: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  try {
    const u = new URL(target);
    return u.pathname + u.search;
  } catch {
    return '/';
  }
}

/**
 * Make a Koa application see the issuer's origin as its own, whatever Host, X-Forwarded-Host or absolute request
 * target a request carries: oidc-provider builds every URL it hands out (discovery, the interaction's way back,
 * the logout form, redirects) from `ctx.href`, and a forged host there would point relying parties and browsers
 * elsewhere. Only the URL is pinned: whether the request came over TLS (`ctx.secure`, hence Secure cookies and
 * HSTS) still comes from the connection or, with TRUST_PROXY, from X-Forwarded-Proto.
 */
export function pinToIssuer(app: Koa, issuer: string): void {
  const { origin, host, hostname } = new URL(issuer);
  Object.defineProperties(app.request, {
    host: { configurable: true, get: () => host },
    hostname: { configurable: true, get: () => hostname },
    href: {
      configurable: true,
      get(this: Koa.Request) {
        return origin + pathOf(this.originalUrl);
      },
    },
    URL: {
      configurable: true,
      get(this: Koa.Request) {
        return new URL(this.href);
      },
    },
  });
}
