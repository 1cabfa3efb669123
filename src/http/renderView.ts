import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ejs from 'ejs';
import type { Context } from 'koa';
import type { ViewLocals } from './views/ViewLocals.js';

/** The views folder, found from this file so it works from `src/` and from `dist/`. */
export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

/**
 * Render `views/<view>.ejs` as the response, with the locals that view reads (ViewLocals). Templates are compiled
 * once and cached.
 */
export async function renderView<K extends keyof ViewLocals>(ctx: Context, view: K, locals: ViewLocals[K], status = 200): Promise<void> {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = await ejs.renderFile(path.join(VIEWS_DIR, `${view}.ejs`), locals, { cache: true, async: false });
}
