import type Provider from 'oidc-provider';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';

/**
 * oidc-provider is the last stop of every request; a path none of its routes knows would get Koa's bare "Not
 * Found". A browser gets a readable page instead (ours: the pages' look and Content-Security-Policy).
 */
export function answerUnknownPathsWith404(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || (ctx.body !== undefined && ctx.body !== null) || ctx.accepts('html', 'json') !== 'html') return;
    await renderView(ctx, 'message', { title: msg('notFound.title'), heading: msg('notFound.heading'), message: msg('notFound.message'), link: null, help: true }, 404);
  });
}
