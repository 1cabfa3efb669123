import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from './Catalogue.js';
import { LOCALES_DIR } from './LOCALES_DIR.js';
import { messageArguments } from './messageArguments.js';
import { PSEUDO_LOCALE } from './PSEUDO_LOCALE.js';

/** A deployment's messages directory with these `<locale>.json` files. */
function messagesDir(files: Record<string, Record<string, string> | string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-messages-'));
  for (const [locale, body] of Object.entries(files)) writeFileSync(path.join(dir, `${locale}.json`), typeof body === 'string' ? body : JSON.stringify(body));
  return dir;
}

describe('the message catalogue', () => {
  it('negotiates ui_locales first, then Accept-Language in order, a region falling back to its language, else the default', () => {
    // nl and it are not shipped: a deployment's directory adds them.
    const c = Catalogue.load({ dir: messagesDir({ nl: { 'identifier.heading': 'Aanmelden' } }) });
    expect(c.locales).toEqual(expect.arrayContaining(['en', 'de', 'nl']));
    expect(c.negotiate('nl-BE', ['en'])).toBe('nl');
    expect(c.negotiate('it', ['nl-NL', 'en'])).toBe('nl');
    expect(c.negotiate(undefined, ['it', 'en-US', 'nl'])).toBe('en');
    expect(c.negotiate('xx yy', ['zz'])).toBe('en');
    expect(Catalogue.load({ dir: messagesDir({ nl: {} }), defaultLocale: 'nl-NL' }).negotiate(undefined, ['it'])).toBe('nl');
  });

  it('takes a deployment’s messages over the shipped ones, and a message missing in a language from English', () => {
    const c = Catalogue.load({ dir: messagesDir({ en: { 'identifier.heading': 'Welcome' }, de: { 'identifier.heading': 'Bitte anmelden' }, nl: { 'identifier.heading': 'Aanmelden' } }) });
    expect(c.translator('en').t('identifier.heading')).toBe('Welcome');
    expect(c.translator('de').t('identifier.heading')).toBe('Bitte anmelden');
    expect(c.translator('de').t('identifier.next')).toBe('Weiter');
    expect(c.translator('nl').t('identifier.heading')).toBe('Aanmelden');
    expect(c.translator('nl').t('identifier.next')).toBe('Next');
  });

  it('formats ICU plurals, escapes values in HTML, and shows dates as <time> in the locale', () => {
    const en = Catalogue.load().translator('en');
    expect(en.t('tap.error.throttled', { seconds: 1 })).toBe('Too many attempts. Wait 1 second before you try again.');
    expect(en.t('tap.error.throttled', { seconds: 30 })).toBe('Too many attempts. Wait 30 seconds before you try again.');
    expect(en.t('common.toContinueTo', { client: 'Test RP' })).toBe('to continue to Test RP');
    expect(en.html('common.toContinueTo', { client: '<b>Evil</b> & Co' })).toBe('to continue to <strong>&#60;b&#62;Evil&#60;/b&#62; &#38; Co</strong>');
    const at = new Date(Date.UTC(2026, 10, 23, 10, 41));
    expect(en.html('securityInfo.tap.status.expired', { end: at })).toBe(`Expired <time datetime="${at.toISOString()}">${en.dateTime(at)}</time>`);
    expect(en.dateTime(at)).toContain('2026');
  });

  it('makes the pseudo-locale from English: every message accented and bracketed, placeholders and plurals intact', () => {
    const xa = Catalogue.load().translator(PSEUDO_LOCALE);
    const text = xa.t('tap.error.throttled', { seconds: 2 });
    expect(text).toMatch(/^⟦.*⟧$/);
    expect(text).toContain('2');
    expect(text).not.toMatch(/[A-Za-z]/);
    expect(xa.html('common.toContinueTo', { client: 'Test RP' })).toMatch(/^⟦[^A-Za-z]*<strong>Test RP<\/strong>⟧$/);
  });

  it('refuses a broken file at load, naming it and the message', () => {
    expect(() => Catalogue.load({ dir: messagesDir({ de: '{ not json' }) })).toThrow(/de\.json: not valid JSON/);
    expect(() => Catalogue.load({ dir: messagesDir({ de: { 'x.y': 'Wait {seconds, plural, one {# second}' } }) })).toThrow(/de\.json, message "x\.y"/);
    expect(() => Catalogue.load({ dir: messagesDir({ de: '["a"]' }) })).toThrow(/one JSON object/);
    // A translation that wants a value or markup its English message does not give would fail on the page.
    expect(() => Catalogue.load({ dir: messagesDir({ de: { 'common.toContinueTo': 'weiter zu {kunde}' } }) })).toThrow(/de\.json, message "common\.toContinueTo": kunde not in the English message/);
    expect(() => Catalogue.load({ dir: messagesDir({ de: { 'identifier.heading': '<b>Anmelden</b>' } }) })).toThrow(/<b> not in the English message/);
    // Fewer is fine: German may leave out what English says.
    expect(Catalogue.load({ dir: messagesDir({ de: { 'common.toContinueTo': 'weiter' } }) }).translator('de').t('common.toContinueTo', { client: 'X' })).toBe('weiter');
  });
});

/** The admin console's labels that are the same word in English and this language (kept apart from SAME_AS_ENGLISH, the pages'). */
const SAME_IN_CONSOLE = new Set(['de:admin.users.name', 'fr:admin.actions.heading', 'fr:admin.user.type', 'es:admin.users.roles']);

/** The shipped catalogues, as their files hold them. */
const shipped = Object.fromEntries(
  readdirSync(LOCALES_DIR).filter((n) => n.endsWith('.json')).map((n) => [n.slice(0, -'.json'.length), JSON.parse(readFileSync(path.join(LOCALES_DIR, n), 'utf8')) as Record<string, string>]),
);
const english = shipped.en!;
const translations = Object.entries(shipped).filter(([locale]) => locale !== 'en');
const sorted = (s: Set<string>) => [...s].sort();
/** Messages that are the same word in English and this language (or hold only values), so equal on purpose. */
const SAME_AS_ENGLISH = new Set(['*:common.productName', '*:selectAccount.account', '*:securityInfo.passkey.model', 'de:device.code.label', 'fr:device.code.label', 'es:error.title', 'es:client.countdown.time', '*:common.pageTitle']);

describe('the shipped languages', () => {
  it('ship German, French, Spanish and Japanese beside English', () => {
    expect(Object.keys(shipped).sort()).toEqual(['de', 'en', 'es', 'fr', 'ja']);
  });

  it('each have exactly the message ids of English, none missing and none extra', () => {
    for (const [locale, messages] of translations) {
      expect({ locale, missing: Object.keys(english).filter((id) => !(id in messages)) }).toEqual({ locale, missing: [] });
      expect({ locale, extra: Object.keys(messages).filter((id) => !(id in english)) }).toEqual({ locale, extra: [] });
    }
  });

  it('take the same values and tags as the English message, and translate every message that is not the same word', () => {
    for (const [locale, messages] of translations) {
      for (const [id, message] of Object.entries(messages)) {
        const theirs = messageArguments(message);
        const ours = messageArguments(english[id]!);
        expect({ locale, id, values: sorted(theirs.values), tags: sorted(theirs.tags) }).toEqual({ locale, id, values: sorted(ours.values), tags: sorted(ours.tags) });
        if (![`*:${id}`, `${locale}:${id}`].some((key) => SAME_AS_ENGLISH.has(key) || SAME_IN_CONSOLE.has(key))) expect({ locale, id, message }).not.toEqual({ locale, id, message: english[id] });
      }
    }
  });

  it('follow each language’s typography: French narrow spaces and ’, Japanese full-width punctuation, no straight quotes', () => {
    // The words of a message: its {arguments}, plurals included (innermost first), and tags left out.
    const prose = (m: string): string => (/\{[^{}]*\}/.test(m) ? prose(m.replace(/\{[^{}]*\}/g, '')) : m.replace(/<\/?strong>/g, ''));
    for (const [locale, messages] of translations) {
      for (const [id, message] of Object.entries(messages)) {
        const text = prose(message);
        expect({ locale, id, straightQuotes: /['"]/.test(text) }).toEqual({ locale, id, straightQuotes: false });
        if (locale === 'fr') expect({ id, badSpace: /(?:[^\u202f][;:!?]|[«][^\u202f]|[^\u202f][»])/u.test(text) }).toEqual({ id, badSpace: false });
        // Japanese: 。、?: — never the ASCII marks; (…) stays half-width as Microsoft's Japanese UI writes it.
        if (locale === 'ja') expect({ id, ascii: /[.,?!:;~]/.test(text) }).toEqual({ id, ascii: false });
      }
    }
  });

  it('count with each language’s plural rules: French 0 and 1 singular, Japanese one form', () => {
    const c = Catalogue.load();
    expect(c.translator('de').t('tap.error.throttled', { seconds: 1 })).toBe('Zu viele Versuche. Warten Sie 1 Sekunde, bevor Sie es erneut versuchen.');
    expect(c.translator('de').t('tap.error.throttled', { seconds: 0 })).toContain('0 Sekunden');
    expect(c.translator('fr').t('tap.error.throttled', { seconds: 0 })).toContain('0\u00a0seconde ');
    expect(c.translator('fr').t('tap.error.throttled', { seconds: 2 })).toContain('2\u00a0secondes');
    expect(c.translator('es').t('tap.error.throttled', { seconds: 1 })).toContain('1 segundo ');
    expect(c.translator('ja').t('tap.error.throttled', { seconds: 1 })).toBe('試行回数が多すぎます。1秒待ってから、もう一度お試しください。');
  });

  it('write dates in each language, with the zone named', () => {
    const c = Catalogue.load();
    const at = new Date(Date.UTC(2026, 10, 23, 10, 41));
    expect(c.translator('de').dateTime(at)).toBe('23. Nov. 2026, 10:41 UTC');
    expect(c.translator('fr').dateTime(at)).toBe('23 nov. 2026, 10:41 UTC');
    expect(c.translator('es').dateTime(at)).toBe('23 nov 2026, 10:41 UTC');
    expect(c.translator('ja').dateTime(at)).toBe('2026年11月23日 10:41 UTC');
    expect(c.translator('de').dateTime(at, 'Europe/Berlin')).toBe('23. Nov. 2026, 11:41 MEZ');
    expect(c.translator('ja').dateTime(at, 'Asia/Tokyo')).toBe('2026年11月23日 19:41 JST');
    expect(c.translator('de').t('securityInfo.tap.status.expires', { end: c.translator('de').dateTime(at) })).toBe('Läuft ab am 23. Nov. 2026, 10:41 UTC');
  });
});
