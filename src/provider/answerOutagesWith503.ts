import type Provider from 'oidc-provider';
import { ServiceUnavailableError } from '../errors.js';
import { renderView } from '../http/renderView.js';
import { isRedisUnavailable } from '../store/isRedisUnavailable.js';
import { msg } from '../i18n/msg.js';

/**
 * oidc-provider answers whatever its adapter throws as `server_error` 500 (a page, JSON, or a redirect back to the
 * relying party). A Redis outage is not a bug and passes: this turns it into 503 with `Retry-After`, as JSON
 * (`temporarily_unavailable`, the OAuth code for it) for /token and other API calls, as a readable page for a
 * browser. The provider tells which requests failed that way through its `server_error` event.
 */
export function answerOutagesWith503(provider: Provider): void {
  // Redis's outages, and the directory's (LDAP), which the directory reports as ServiceUnavailableError.
  const isOutage = (err: unknown) => isRedisUnavailable(err) || err instanceof ServiceUnavailableError;
  const outages = new WeakSet<object>();
  provider.on('server_error', (ctx: object, err: unknown) => {
    if (isOutage(err)) outages.add(ctx);
  });
  provider.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      // Thrown outside the provider's own error handlers (which answer everything inside its routes).
      if (!isOutage(err)) throw err;
      outages.add(ctx);
    }
    if (!outages.has(ctx)) return;
    const { message } = new ServiceUnavailableError();
    ctx.remove('Location');
    ctx.set('Retry-After', '1');
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('json', 'html') === 'html') {
      await renderView(ctx, 'message', { title: msg('error.signInProblem'), heading: msg('error.unavailable.heading'), message: msg('error.unavailable.message'), link: null }, 503);
    } else {
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable', error_description: message };
    }
  });
}
