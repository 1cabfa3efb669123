import type { Middleware } from 'koa';
import type { RateLimiter } from '../ratelimit/RateLimiter.js';
import { renderView } from './renderView.js';
import { msg } from '../i18n/msg.js';

/**
 * Posts of the device verification page, per source address (`rateLimits.deviceCodePerAddress`), before
 * oidc-provider looks the code up: a user code is short, so an address may try only a few. Refused: 429 and
 * `Retry-After`; the right code still works from another address, or from this one once the window has passed.
 */
export function deviceCodeRateLimit(limiter: RateLimiter, path: string): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== path || ctx.method !== 'POST') return next();
    const r = await limiter.take(['deviceCodePerAddress', ctx.ip]);
    if (r.ok) return next();
    ctx.set('Retry-After', String(r.retryAfterSeconds));
    await renderView(
      ctx,
      'message',
      {
        title: msg('device.title'),
        heading: msg('device.tooMany.heading'),
        message: msg('device.tooMany.message', { seconds: r.retryAfterSeconds }),
        link: null,
      },
      429,
    );
  };
}
