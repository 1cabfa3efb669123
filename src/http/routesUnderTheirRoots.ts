import type Router from '@koa/router';
import type { Middleware } from 'koa';

/** A path's first segment, lowercased: `/interaction/abc/tap` → `interaction`, `/` → ``. */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/** The first segments the router's routes start with, or `all` when one of them starts with a pattern. */
function rootsOf(router: Router): Set<string> | 'all' {
  const roots = new Set<string>();
  for (const layer of router.stack) {
    // Middleware mounted with router.use() runs only for a request a route matched: routes alone decide.
    if (layer.methods.length === 0) continue;
    if (typeof layer.path !== 'string' || !layer.path.startsWith('/')) return 'all';
    const root = firstSegment(layer.path);
    if (/[:*?(){}[\]\\]/.test(root)) return 'all';
    roots.add(root);
  }
  return roots;
}

/**
 * `router.routes()`, asked only for requests whose path starts with the first segment of one of its routes. Any
 * other request cannot match them, but @koa/router finds that out by testing every route's pattern and recording
 * the (empty) match on the context: for every request, token grants included, in each of the pages' routers. Issue
 * #18's attribution runs put most of a token grant's cost beyond stock oidc-provider's in the chain before the
 * provider. The roots are read from the router's own routes at the first request (a new route needs no list to
 * join); a route whose first segment is a parameter or a pattern leaves the router to see every request. Compared
 * without case, as the router's patterns are.
 */
export function routesUnderTheirRoots(router: Router): Middleware {
  const routes = router.routes() as unknown as Middleware;
  let roots: Set<string> | 'all' | undefined;
  return (ctx, next) => {
    roots ??= rootsOf(router);
    return roots === 'all' || roots.has(firstSegment(ctx.path)) ? routes(ctx, next) : next();
  };
}
