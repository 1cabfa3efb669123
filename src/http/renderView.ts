import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ejs from 'ejs';
import type { Context } from 'koa';
import { translatorFor } from './translatorFor.js';
import type { ViewLocals } from './views/ViewLocals.js';
import type { Brand } from './Brand.js';
import type { Text } from '../i18n/Text.js';

/** The views folder, found from this file so it works from `src/` and from `dist/`. */
export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

/** JSON safe inside a `<script type="application/json">` block: no `<` that could close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * Render `views/<view>.ejs` as the response, with the locals that view reads (ViewLocals) and the language of
 * the request (translatorFor): every view and partial gets `t(id, values)` for the catalogue's messages, `html(id, values)` for one with `<strong>` in it,
 * `say(text)` for words code handed it (a MessageRef or a final string), `dateTime(at)`, `source(id)` (a message's ICU text, for a script), `lang` for
 * `<html lang>`, `clientMessages` (the `client.` messages, JSON for the pages' scripts), and the deployment's
 * `brand` (config `branding`: logo, favicon, help desk, time zone, stylesheets) with `brandName` and `helpDesk`
 * (every message `say` formats gets it as `{helpDesk}`). Templates are compiled once and cached; a view includes a
 * partial by its path under views/ (`include('/partials/head')`), which ejs resolves without asking the disk.
 */
export async function renderView<K extends keyof ViewLocals>(ctx: Context, view: K, locals: ViewLocals[K], status = 200): Promise<void> {
  const tr = translatorFor(ctx);
  // The deployment's brand (tapPlugin sets it on every request it serves, as the catalogue); none: the product's look.
  const brand: Brand = (ctx.state as { brand?: Brand }).brand ?? {};
  const brandName = brand.name ?? tr.t('common.productName');
  const helpDesk = brand.helpText ?? tr.t('help.defaultDesk');
  // Every message code hands a page may name the help desk (`{helpDesk}`): "Ask {helpDesk} for a new one".
  const say = (text: Text) => ('id' in text ? tr.t(text.id, { helpDesk, ...text.values }) : tr.say(text));
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Language', tr.locale);
  ctx.body = await ejs.renderFile(
    path.join(VIEWS_DIR, `${view}.ejs`),
    {
      ...locals,
      t: tr.t,
      html: tr.html,
      say,
      source: tr.source,
      dateTime: tr.dateTime,
      lang: tr.locale,
      clientMessages: scriptJson(tr.clientMessages()),
      brand,
      brandName,
      // Who helps a person who is stuck (config branding.helpText), in every help line.
      helpDesk,
    },
    // Partials are named from the views folder (`/partials/head`): found without a file-system check per render.
    { cache: true, async: false, root: VIEWS_DIR },
  );
}
