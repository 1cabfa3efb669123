import { Type } from '@sinclair/typebox';

const NON_EMPTY = 'must be a non-empty string';
// Hex only: the colours go into a stylesheet and into contrast sums, so nothing but a colour may pass.
const COLOUR = { pattern: '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$', errorMessage: 'must be a CSS hex colour such as "#0b5394"' };

const colours = (scheme: string, description: string) =>
  Type.Object(
    {
      primary: Type.Optional(Type.String({ ...COLOUR, description: `buttons, links and focus rings (${scheme}); text on buttons is white or black, whichever reads better` })),
      background: Type.Optional(Type.String({ ...COLOUR, description: `the page behind the card (${scheme})` })),
    },
    { additionalProperties: false, description, defaultText: 'the product\'s', errorMessage: 'must be an object', unknownMessage: 'is not a known colour (primary, background)' },
  );

/**
 * `branding` of the config file: the organisation's name, look and help desk on every page. Each field's default
 * and meaning live here alone; the README's table is generated from them (`npm run docs:options`). URLs are
 * checked in parseConfig.ts (https, or a path on this server), `timeZone` and `defaultLocale` at start.
 */
export const BrandingSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the organisation\'s name on every page and in its title, and the passkey\'s relying-party name', defaultText: '"oidc-tap"', errorMessage: NON_EMPTY })),
    logoUrl: Type.Optional(Type.String({ minLength: 1, description: 'logo beside the name: an https URL or a path on this server', defaultText: 'the product\'s mark', errorMessage: NON_EMPTY })),
    faviconUrl: Type.Optional(Type.String({ minLength: 1, description: 'the pages\' icon: an https URL or a path on this server', defaultText: 'the product\'s mark', errorMessage: NON_EMPTY })),
    colors: Type.Optional(colours('light scheme', '`primary` (buttons, links, focus) and `background` (behind the card), hex; the dark scheme gets a readable variant of them unless `colorsDark` gives its own; text on buttons is white or black, whichever reads better')),
    colorsDark: Type.Optional(colours('dark scheme', '`primary` and `background` for a browser in dark mode')),
    helpText: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'who helps a person who is stuck, e.g. "the IT help desk on 0800 123 456"', defaultText: '"your administrator"', errorMessage: NON_EMPTY })),
    helpUrl: Type.Optional(Type.String({ minLength: 1, description: 'a link to the help desk (https, or mailto:/tel:)', defaultText: '(none)', errorMessage: NON_EMPTY })),
    defaultLocale: Type.Optional(Type.String({ minLength: 1, description: 'the language when neither `ui_locales` nor `Accept-Language` names one the pages speak; one they speak', defaultText: '"en"', errorMessage: NON_EMPTY })),
    timeZone: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone the pages show dates and times in', defaultText: 'the browser\'s', errorMessage: NON_EMPTY })),
    messagesDir: Type.Optional(Type.String({ minLength: 1, description: 'a folder of `<locale>.json` files that add or override messages; relative to the config file', defaultText: '(none)', errorMessage: NON_EMPTY })),
    cssUrl: Type.Optional(Type.String({ minLength: 1, description: 'an extra stylesheet after the product\'s: an https URL or a path on this server', defaultText: '(none)', errorMessage: NON_EMPTY })),
  },
  { additionalProperties: false, default: {}, errorMessage: 'must be an object', unknownMessage: 'is not a known branding field' },
);
