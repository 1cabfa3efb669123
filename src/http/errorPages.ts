import type { Middleware } from 'koa';
import { asAppError } from './asAppError.js';
import type { Logger } from '../log/Logger.js';
import { renderView } from './renderView.js';
import { msg } from '../i18n/msg.js';

/**
 * The last line of defence: an error becomes a readable page (or JSON for the API), never a stack trace.
 * Expected errors keep their status, a Redis outage is 503 (`asAppError`); anything else is logged and answered
 * 500 without details.
 */
export function errorPages(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const known = asAppError(err);
      const status = known ? known.status : 500;
      if (!known) log.error('unhandled', { path: ctx.path, error: err as Error });
      // Retry-After: an outage is answered at once, and service comes back within a second of Redis.
      if (status === 503) ctx.set('Retry-After', '1');
      const message = known ? known.message : 'Something went wrong on our side. Try again in a moment.';
      if (ctx.path.startsWith('/v1.0/') || ctx.accepts('html', 'json') === 'json') {
        ctx.status = status;
        ctx.body = { error: { code: known ? known.code : 'generalException', message } };
        return;
      }
      const heading = msg(status === 503 ? 'error.unavailable.heading' : 'error.heading');
      // An error of ours says what its page should (`said`); one that does not is shown in its API words for now.
      const said = known ? (known.said ?? { verbatim: known.message }) : msg('error.unexpected');
      await renderView(ctx, 'message', { title: msg('error.title'), heading, message: said, link: null, help: true }, status);
    }
  };
}
