import type { Context } from 'koa';

/**
 * Speak the sign-in's `ui_locales` (from its interaction's parameters, so every step of one sign-in keeps the
 * language its application asked for) on the page this request renders. Anything but a string is ignored.
 */
export function useUiLocales(ctx: Context, uiLocales: unknown): void {
  if (typeof uiLocales === 'string' && uiLocales) (ctx.state as { uiLocales?: string }).uiLocales = uiLocales;
}
