import type { Middleware } from 'koa';
import type { Logger } from '../log/Logger.js';
import type { Metrics } from './Metrics.js';

function routeGroup(path: string): string {
  if (path.startsWith('/interaction/')) return 'interaction';
  if (path.startsWith('/v1.0/')) return 'api';
  if (path.startsWith('/assets/')) return 'assets';
  return path.split('/').slice(0, 2).join('/') || '/';
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
