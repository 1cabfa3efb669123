import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';
import { VIEWS_DIR } from './renderView.js';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * Serves `public/` at `/assets/`, read once at start: a handful of small files, no lookups on disk per request;
 * and `/assets/brand.css`, the brand's colours (brandStylesheet), made once from the config.
 */
export function staticAssets(brandCss = ''): Middleware {
  const dir = path.resolve(VIEWS_DIR, '../public');
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(`/assets/${name}`, { body: readFileSync(path.join(dir, name)), type });
  }
  // The browser half of SimpleWebAuthn, served from our own origin (no external assets, strict CSP).
  const webauthnPackage = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('@simplewebauthn/browser'))), '..');
  files.set('/assets/webauthn.js', {
    body: readFileSync(path.join(webauthnPackage, 'dist/bundle/index.umd.min.js')),
    type: TYPES['.js']!,
  });
  // intl-messageformat for the pages' scripts (ES module; app.js imports it), so they format messages as the server does.
  files.set('/assets/intl-messageformat.js', {
    body: readFileSync(path.join(path.dirname(fileURLToPath(import.meta.resolve('intl-messageformat'))), 'intl-messageformat.iife.js')),
    type: TYPES['.js']!,
  });
  files.set('/assets/brand.css', { body: Buffer.from(brandCss), type: TYPES['.css']! });
  return async (ctx, next) => {
    const file = ctx.method === 'GET' || ctx.method === 'HEAD' ? files.get(ctx.path) : undefined;
    if (!file) return next();
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  };
}
