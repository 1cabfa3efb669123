import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from './Catalogue.js';
import { PSEUDO_LOCALE } from './PSEUDO_LOCALE.js';

/** A deployment's messages directory with these `<locale>.json` files. */
function messagesDir(files: Record<string, Record<string, string> | string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-messages-'));
  for (const [locale, body] of Object.entries(files)) writeFileSync(path.join(dir, `${locale}.json`), typeof body === 'string' ? body : JSON.stringify(body));
  return dir;
}

describe('the message catalogue', () => {
  it('negotiates ui_locales first, then Accept-Language in order, a region falling back to its language, else the default', () => {
    const c = Catalogue.load({ dir: messagesDir({ de: { 'identifier.heading': 'Anmelden' } }) });
    expect(c.locales).toEqual(expect.arrayContaining(['en', 'de']));
    expect(c.negotiate('de-CH', ['en'])).toBe('de');
    expect(c.negotiate('fr', ['de-AT', 'en'])).toBe('de');
    expect(c.negotiate(undefined, ['fr', 'en-US', 'de'])).toBe('en');
    expect(c.negotiate('xx yy', ['zz'])).toBe('en');
    expect(Catalogue.load({ dir: messagesDir({ de: {} }), defaultLocale: 'de-DE' }).negotiate(undefined, ['fr'])).toBe('de');
  });

  it('takes a deployment’s messages over the shipped ones, and a message missing in a language from English', () => {
    const c = Catalogue.load({ dir: messagesDir({ en: { 'identifier.heading': 'Welcome' }, de: { 'identifier.heading': 'Anmelden' } }) });
    expect(c.translator('en').t('identifier.heading')).toBe('Welcome');
    expect(c.translator('de').t('identifier.heading')).toBe('Anmelden');
    expect(c.translator('de').t('identifier.next')).toBe('Next');
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
