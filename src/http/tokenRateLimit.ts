import type { Context, Middleware } from 'koa';
import type { RateLimiter } from '../ratelimit/RateLimiter.js';
import { peekBody } from './peekBody.js';

/** oidc-provider refuses larger token request bodies itself; larger ones are not peeked at. */
const PEEK_LIMIT = 56 * 1024;

/** A token request's form, read without taking it from oidc-provider (peekBody); empty if none or too large. */
async function peekForm(ctx: Context): Promise<URLSearchParams> {
  const length = ctx.request.length;
  if (ctx.method !== 'POST' || !ctx.is('application/x-www-form-urlencoded') || length === undefined || length === 0 || length > PEEK_LIMIT) return new URLSearchParams();
  return new URLSearchParams((await peekBody(ctx.req, length)).toString('utf8'));
}

/** The client a token request names: HTTP Basic's user name, else the form's `client_id`. */
function claimedClientId(ctx: Context, form: URLSearchParams): string | undefined {
  const basic = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(ctx.get('authorization'));
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return undefined;
    try {
      // RFC 6749 2.3.1: the client id is form-encoded before it is put into the Basic credentials.
      return decodeURIComponent(decoded.slice(0, colon).replaceAll('+', '%20'));
    } catch {
      return undefined;
    }
  }
  return form.get('client_id') ?? undefined;
}

/**
 * Rate limits of the token endpoint and its siblings (introspection, revocation, userinfo: oidc-provider's), in
 * front of them: per source address, and per client
 * (`rateLimits.tokenPerAddress`, `tokenPerClient`). Only configured clients get a bucket of their own, so made-up
 * client ids cannot fill Redis; they still spend their address's. Refused: 429, `Retry-After` and the OAuth error
 * `temporarily_unavailable` (the token endpoint's `slow_down` means "poll less often" in the device flow only).
 *
 * `fetchAhead` is given the form as the limits are taken, so that what the request redeems is read in the same
 * round trip (it is only read: nothing is redeemed or answered before the limits allow it).
 */
export function tokenRateLimit(limiter: RateLimiter, paths: ReadonlySet<string>, clientIds: ReadonlySet<string>, fetchAhead?: (form: URLSearchParams) => void): Middleware {
  return async (ctx, next) => {
    if (!paths.has(ctx.path) || (ctx.method !== 'POST' && ctx.method !== 'GET')) return next();
    const form = await peekForm(ctx);
    const clientId = claimedClientId(ctx, form);
    const taken = limiter.take(['tokenPerAddress', ctx.ip], ...(clientId !== undefined && clientIds.has(clientId) ? [['tokenPerClient', clientId] as const] : []));
    fetchAhead?.(form);
    const r = await taken;
    if (r.ok) return next();
    const who = r.limit === 'tokenPerAddress' ? 'this address' : 'this client';
    ctx.status = 429;
    ctx.set('Retry-After', String(r.retryAfterSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      error: 'temporarily_unavailable',
      error_description: `Too many token requests from ${who}. Retry after ${r.retryAfterSeconds} seconds.`,
    };
  };
}
