import type { Brand } from './Brand.js';

type Rgb = [number, number, number];

const parse = (hex: string): Rgb => {
  const h = hex.slice(1);
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
};
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
const mix = (a: Rgb, b: Rgb, share: number): Rgb => a.map((c, i) => c + (b[i]! - c) * share) as Rgb;

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = (rgb: Rgb) => {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
/** The cards the colours sit on (app.css's --card), light and dark. */
const CARD_LIGHT: Rgb = [255, 255, 255];
const CARD_DARK: Rgb = [0x16, 0x1b, 0x22];

/** app.css's dark --bg: a light brand background is no background for the dark scheme. */
const PRODUCT_DARK_BG = '#0d1117';

/** `colour` moved towards `towards` just far enough to read on `against` (4.5:1, WCAG AA for text). */
function readable(colour: Rgb, against: Rgb, towards: Rgb): Rgb {
  for (let share = 0; share <= 1; share += 0.05) {
    const c = mix(colour, towards, share);
    if (contrast(c, against) >= 4.5) return c;
  }
  return towards;
}

/** The custom properties of one scheme for `primary` on cards of `card`. */
function primaryProperties(primary: Rgb, card: Rgb, dark: boolean): string[] {
  const away = dark ? WHITE : BLACK;
  // Links and focus rings sit on the card: they must read there. The button keeps the brand's colour itself.
  const onCard = readable(primary, card, away);
  // Text on the button: white or black, whichever contrasts more.
  const onPrimary = contrast(WHITE, primary) >= contrast(BLACK, primary) ? WHITE : BLACK;
  return [
    `--primary: ${toHex(primary)};`,
    `--primary-hover: ${toHex(mix(primary, onPrimary === WHITE ? BLACK : WHITE, 0.15))};`,
    `--primary-active: ${toHex(mix(primary, onPrimary === WHITE ? BLACK : WHITE, 0.3))};`,
    `--on-primary: ${toHex(onPrimary)};`,
    `--link: ${toHex(onCard)};`,
    `--focus: ${toHex(onCard)};`,
  ];
}

/**
 * `/assets/brand.css`: the brand's colours as app.css's custom properties, light and dark, so no page needs an
 * inline style (CSP `style-src 'self'`). The dark scheme takes `colorsDark`, else the light colours made readable
 * on the dark card (a primary lightened until it reads; the product's own dark background). Empty without colours.
 */
export function brandStylesheet(brand: Brand): string {
  const light: string[] = [];
  const dark: string[] = [];
  const primary = brand.colors?.primary;
  const darkPrimary = brand.colorsDark?.primary;
  if (primary) light.push(...primaryProperties(parse(primary), CARD_LIGHT, false));
  if (brand.colors?.background) light.push(`--bg: ${toHex(parse(brand.colors.background))};`);
  if (darkPrimary) dark.push(...primaryProperties(parse(darkPrimary), CARD_DARK, true));
  else if (primary) dark.push(...primaryProperties(readable(parse(primary), CARD_DARK, WHITE), CARD_DARK, true));
  // Every property set for the light scheme is set again for the dark one: this file comes after app.css, so its
  // light values would otherwise win over app.css's dark ones.
  if (brand.colorsDark?.background) dark.push(`--bg: ${toHex(parse(brand.colorsDark.background))};`);
  else if (brand.colors?.background) dark.push(`--bg: ${PRODUCT_DARK_BG};`);
  const block = (lines: string[], indent: string) => lines.map((l) => `${indent}${l}`).join('\n');
  return [
    '/* Generated from config `branding` (src/http/brandStylesheet.ts). */',
    light.length ? `:root {\n${block(light, '  ')}\n}` : '',
    dark.length ? `@media (prefers-color-scheme: dark) {\n  :root {\n${block(dark, '    ')}\n  }\n}` : '',
  ].filter(Boolean).join('\n') + '\n';
}
