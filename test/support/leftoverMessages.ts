import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCALES_DIR } from '../../src/i18n/LOCALES_DIR.js';
import { visibleTexts } from './visibleTexts.js';

const catalogue = (locale: string) => JSON.parse(readFileSync(path.join(LOCALES_DIR, `${locale}.json`), 'utf8')) as Record<string, string>;

/** A message's words as they stand between its arguments and tags (`to continue to`, not `{client}`). */
function fragments(message: string): string[] {
  let m = message.replace(/<\/?strong>/g, '\0');
  // Innermost first, so a plural's branches go with it.
  while (/\{[^{}]*\}/.test(m)) m = m.replace(/\{[^{}]*\}/g, '\0');
  return m.split('\0').map((f) => f.trim()).filter((f) => /\p{L}{2}/u.test(f));
}

/**
 * The texts of a page in `locale` that hold words of another language's messages (`from`, e.g. `en`), where the
 * two languages say it differently: the leftovers of a page that did not speak `locale` everywhere. A fragment of
 * several words counts anywhere in a text; a single word only as a whole text (a button's `Next`).
 */
export function leftoverMessages(html: string, locale: string, from: string): string[] {
  const mine = catalogue(locale);
  const theirs = Object.entries(catalogue(from)).filter(([id, m]) => mine[id] !== m).flatMap(([, m]) => fragments(m));
  const phrases = theirs.filter((f) => /\s/.test(f));
  const words = new Set(theirs.filter((f) => !/\s/.test(f)));
  return visibleTexts(html).filter((t) => words.has(t) || phrases.some((p) => t.includes(p)));
}
