import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import { renderView } from './renderView.js';

/**
 * The last line of defence: an error becomes a readable page (or JSON for the API), never a stack trace.
 * Expected errors keep their status; anything else is logged and answered 500 without details.
 */
export function errorPages(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const known = err instanceof AppError;
      const status = known ? err.status : 500;
      if (!known) log.error('unhandled', { path: ctx.path, error: err as Error });
      const message = known ? err.message : 'Something went wrong on our side. Try again in a moment.';
      if (ctx.path.startsWith('/v1.0/') || ctx.accepts('html', 'json') === 'json') {
        ctx.status = status;
        ctx.body = { error: { code: known ? err.code : 'generalException', message } };
        return;
      }
      await renderView(ctx, 'message', { title: 'Error', heading: 'Something went wrong', message, link: null }, status);
    }
  };
}
