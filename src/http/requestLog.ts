import type { Middleware } from 'koa';
import type { Logger } from '../log/Logger.js';
import type { Metrics } from './Metrics.js';

/**
 * The first path segments the server answers, each one `route` label of the request counter. Any other path
 * counts as `other`: a label taken from the path itself would give every made-up URL a series of its own, and
 * the counter (and every scrape) would grow without bound.
 */
const ROUTES = new Map<string, string>([
  ['interaction', 'interaction'],
  ['v1.0', 'api'],
  ['assets', 'assets'],
  ['account', 'account'],
  ['federation', 'federation'],
  ['auth', '/auth'],
  ['token', '/token'],
  ['me', '/me'],
  ['jwks', '/jwks'],
  ['session', '/session'],
  ['request', '/request'],
  ['device', '/device'],
  ['backchannel', '/backchannel'],
  ['.well-known', '/.well-known'],
  ['openapi.json', '/openapi.json'],
  ['healthz', '/healthz'],
  ['readyz', '/readyz'],
  ['metrics', '/metrics'],
  ['', '/'],
]);

function routeGroup(path: string): string {
  return ROUTES.get(path.split('/')[1] ?? '') ?? 'other';
}

/**
 * One log line per request: method, path without the query (codes and states live there), status and time.
 * Cookies, headers and bodies are never logged.
 */
export function requestLog(log: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = ctx.status;
      metrics.inc('oidc_tap_http_requests_total', { route: routeGroup(ctx.path), status: `${Math.floor(status / 100)}xx` });
      if (!ctx.path.startsWith('/assets/') && ctx.path !== '/healthz') {
        log.info('http', { method: ctx.method, path: ctx.path, status, ms: Math.round(performance.now() - started) });
      }
    }
  };
}
