import type { Context } from 'koa';
import { Catalogue } from '../i18n/Catalogue.js';
import type { Translator } from '../i18n/Translator.js';
import type { Brand } from './Brand.js';

let shipped: Catalogue | undefined;

/** What translatorFor reads from `ctx.state`; set by the plugin (catalogue) and the flow (uiLocales). */
interface LanguageState {
  /** The deployment's catalogue (tapPlugin sets it on every request it serves); default: the shipped one. */
  catalogue?: Catalogue;
  /** The sign-in's `ui_locales`, remembered in its interaction; wins over the request's own. */
  uiLocales?: string;
  /** The deployment's brand (tapPlugin sets it): its time zone is the pages'. */
  brand?: Brand;
}

/**
 * The catalogue in the language chosen for this request: the sign-in's `ui_locales` (set in `ctx.state.uiLocales`
 * by the flow from the interaction), else the request's own `ui_locales` as oidc-provider parsed it (logout, error
 * pages), else `Accept-Language` (by q-value, `de-CH` falling back to `de`), else the default locale; its dates in
 * the brand's time zone.
 */
export function translatorFor(ctx: Context): Translator {
  const state = ctx.state as LanguageState;
  const catalogue = state.catalogue ?? (shipped ??= Catalogue.load());
  const params = (ctx as { oidc?: { params?: { ui_locales?: unknown } } }).oidc?.params;
  const requested = state.uiLocales ?? (typeof params?.ui_locales === 'string' ? params.ui_locales : undefined);
  return catalogue.translator(catalogue.negotiate(requested, ctx.acceptsLanguages()), state.brand?.timeZone);
}
