import type { Middleware } from 'koa';
import type { Logger } from '../log/Logger.js';
import { renderView } from './renderView.js';
import { msg } from '../i18n/msg.js';

/**
 * Cross-site request forgery guard for our forms (every POST under one of `paths`: the sign-in steps, the
 * security-info page, which also checks its own CSRF token): a post whose `Origin` (or,
 * without one, `Referer`) is another site's is refused with a readable 403 before anything is read or counted.
 * Neither header: allowed, since scripts and old browsers send none and the interaction cookie (SameSite=Lax,
 * bound to the interaction) already keeps other sites' posts out. `Origin: null` is refused: the pages set
 * `Referrer-Policy: same-origin`, so a browser sends their real origin, and `null` comes from sandboxed frames
 * and `data:` documents.
 */
export function sameOriginPosts(issuer: string, paths: readonly string[], log: Logger): Middleware {
  const own = new URL(issuer).origin;
  const originOf = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return 'null';
    }
  };
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !paths.some((p) => ctx.path.startsWith(p))) return next();
    const origin = ctx.get('Origin');
    const referer = ctx.get('Referer');
    const from = origin || (referer ? originOf(referer) : own);
    if (from === own) return next();
    log.warn('request.refused', { reason: 'foreign origin', path: ctx.path, origin: from });
    await renderView(
      ctx,
      'message',
      {
        title: msg('refused.title'),
        heading: msg('refused.title'),
        message: msg('refused.message'),
        link: null,
      },
      403,
    );
  };
}
