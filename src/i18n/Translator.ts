import type { MessageRef } from './MessageRef.js';
import type { Text } from './Text.js';

/** The catalogue in one locale: what a view (and code that must build text) formats messages with. */
export interface Translator {
  /** The locale chosen, as `<html lang>` says it (`en`, `de`, `en-XA`). */
  readonly locale: string;
  /** Format message `id` (ICU: plurals, selects, numbers, dates) with its values. */
  t(id: string, values?: MessageRef['values']): string;
  /**
   * Format message `id` as HTML for `<%- %>`: its text values escaped, its Date values as `<time datetime>`, and
   * its `<strong>` tags (the only markup a message may carry) kept as markup. For words with a name in bold or a
   * date in them, whose place differs between languages.
   */
  html(id: string, values?: MessageRef['values']): string;
  /** A view's words: a message formatted, verbatim text as it is. */
  say(text: Text): string;
  /** A date and time in this locale, in `timeZone` (default the translator's: the deployment's, else UTC, named on the page); the browser re-formats it. */
  dateTime(at: Date | number, timeZone?: string): string;
  /** The ICU text of message `id` in this locale (for a page's script that re-formats it, e.g. a countdown). */
  source(id: string): string;
  /** The messages under `client.` (the pages' scripts'), uncompiled, for the page to hand to its scripts. */
  clientMessages(): Readonly<Record<string, string>>;
}
