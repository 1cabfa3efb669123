/**
 * The pseudo-locale, made from `en` at load time: every letter accented and every message in ⟦ ⟧, so a page shown
 * in it tells at a glance (and to a test) which words did not come from the catalogue. Chosen like any locale
 * (`ui_locales=en-XA`), never listed in discovery.
 */
export const PSEUDO_LOCALE = 'en-XA';
