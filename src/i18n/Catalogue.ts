import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES_DIR } from './LOCALES_DIR.js';
import { messageArguments } from './messageArguments.js';
import type { MessageRef } from './MessageRef.js';
import { PSEUDO_LOCALE } from './PSEUDO_LOCALE.js';
import { pseudoLocalise } from './pseudoLocalise.js';
import type { Text } from './Text.js';
import type { Translator } from './Translator.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** How a date and time is shown (app.js shows it the same way, in the browser's zone). */
const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

/** The locale Intl formats numbers and dates in: the pseudo-locale's are English. */
const intlLocale = (locale: string) => (locale === PSEUDO_LOCALE ? SOURCE_LOCALE : locale);

/** The language every message exists in: the others fall back to it message by message. */
const SOURCE_LOCALE = 'en';

export interface CatalogueOptions {
  /** A deployment's own messages (config `branding.messagesDir`): `<locale>.json` files that add or override. */
  dir?: string | undefined;
  /** The locale when neither `ui_locales` nor `Accept-Language` names one we have (config `branding.defaultLocale`). */
  defaultLocale?: string | undefined;
}

type Messages = Record<string, string>;

/** Read every `<locale>.json` of `dir`: a flat object of message id → ICU message. */
function readDir(dir: string): Map<string, Messages> {
  const found = new Map<string, Messages>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    if (!data || typeof data !== 'object' || Array.isArray(data) || Object.values(data).some((v) => typeof v !== 'string')) {
      throw new Error(`${file}: must be one JSON object of message id → message text`);
    }
    found.set(name.slice(0, -'.json'.length), data as Messages);
  }
  return found;
}

/**
 * Every message in every language the pages speak. The shipped `locales/<locale>.json` (adding a language is
 * adding its file there), then a deployment's own directory over them (a file adds a language or overrides some
 * of its messages), then the pseudo-locale made from `en`. A message missing in one language is taken from its
 * base language (`de-CH` → `de`), then from the default locale, then from `en`.
 */
export class Catalogue {
  private readonly messages = new Map<string, Messages>();
  private readonly compiled = new Map<string, IntlMessageFormat>();
  private readonly translators = new Map<string, Translator>();
  /** The locales a person can choose (discovery's `ui_locales_supported`), the pseudo-locale left out. */
  readonly locales: readonly string[];
  readonly defaultLocale: string;

  /** Load the shipped catalogues and, when given, a deployment's directory over them; a broken file stops start-up, naming it. */
  static load(options: CatalogueOptions = {}): Catalogue {
    return new Catalogue(options);
  }

  private constructor(options: CatalogueOptions) {
    const layers = [readDir(LOCALES_DIR), ...(options.dir ? [readDir(path.resolve(options.dir))] : [])];
    for (const layer of layers) {
      for (const [locale, messages] of layer) this.messages.set(locale, { ...this.messages.get(locale), ...messages });
    }
    const source = this.messages.get(SOURCE_LOCALE);
    if (!source) throw new Error(`${LOCALES_DIR}: ${SOURCE_LOCALE}.json is missing`);
    this.locales = [...this.messages.keys()];
    this.defaultLocale = this.pick([options.defaultLocale ?? SOURCE_LOCALE]) ?? SOURCE_LOCALE;
    this.messages.set(PSEUDO_LOCALE, Object.fromEntries(Object.entries(source).map(([id, m]) => [id, pseudoLocalise(m)])));
    // Compile everything now: a message with broken ICU syntax, or one that wants a value or a tag its English
    // message does not give, is found at start, not on a person's page.
    for (const locale of this.messages.keys()) {
      for (const [id, message] of Object.entries(this.messages.get(locale)!)) {
        this.format(locale, id);
        const english = source[id];
        if (english === undefined || locale === SOURCE_LOCALE) continue;
        const theirs = messageArguments(message);
        const ours = messageArguments(english);
        const unknown = [...[...theirs.values].filter((v) => !ours.values.has(v)), ...[...theirs.tags].filter((v) => !ours.tags.has(v)).map((v) => `<${v}>`)];
        if (unknown.length) throw new Error(`locales ${locale}.json, message "${id}": ${unknown.join(', ')} not in the English message`);
      }
    }
  }

  /**
   * The locale to speak, from the request's `ui_locales` (space-separated, in order of preference) then its
   * `Accept-Language` (already ordered by q-value): the first we have, exactly or by its base language
   * (`de-CH` → `de`); else the default locale.
   */
  negotiate(uiLocales: string | undefined, acceptLanguages: readonly string[]): string {
    const wanted = [...(uiLocales ?? '').split(' '), ...acceptLanguages].filter((l) => l && l !== '*');
    return this.pick(wanted) ?? this.defaultLocale;
  }

  /**
   * The catalogue in `locale` (one negotiated by `negotiate`), its dates and times in `timeZone` (the deployment's,
   * config `branding.timeZone`; default UTC, named on the page, until the browser's script shows them in its own).
   */
  translator(locale: string, timeZone = 'UTC'): Translator {
    const key = `${locale} ${timeZone}`;
    const known = this.translators.get(key);
    if (known) return known;
    const chain = this.fallbacks(locale);
    let client: Readonly<Record<string, string>> | undefined;
    const say = (text: Text) => ('verbatim' in text ? text.verbatim : t(text.id, text.values));
    // A message with no argument, tag or quote reads the same whatever the values: formatted once, not per render.
    const plain = new Map<string, string>();
    const t = (id: string, values?: MessageRef['values']) => {
      const known = plain.get(id);
      if (known !== undefined) return known;
      const from = chain.find((l) => this.messages.get(l)?.[id] !== undefined);
      // A missing id is a bug; the id on the page (not a 500) makes it visible, and the pseudo-locale test fails on it.
      if (!from) return id;
      const text = this.messages.get(from)![id]!;
      if (!/[{}<>']/.test(text)) {
        plain.set(id, text);
        return text;
      }
      // As plain text, a message's <strong> is its words only.
      const parts = this.format(from, id, locale).format<string>({ ...values, strong: (chunks: string[]) => chunks.join('') });
      return Array.isArray(parts) ? parts.join('') : String(parts);
    };
    // One formatter per zone for this translator's life (it lives as long as the catalogue): pages format dates on
    // every render, and building an Intl.DateTimeFormat costs far more than using one.
    const formats = new Map<string, Intl.DateTimeFormat>();
    const dateTime = (at: Date | number, zone = timeZone) => {
      let format = formats.get(zone);
      if (!format) formats.set(zone, (format = new Intl.DateTimeFormat(intlLocale(locale), { ...DATE_TIME, timeZone: zone })));
      return format.format(at);
    };
    const html = (id: string, values: MessageRef['values'] = {}) => {
      const from = chain.find((l) => this.messages.get(l)?.[id] !== undefined);
      if (!from) return escapeHtml(id);
      // A date becomes <time datetime> (formatted here, re-formatted in the browser's zone by app.js); text is escaped.
      const escaped = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, v instanceof Date ? `<time datetime="${v.toISOString()}">${escapeHtml(dateTime(v))}</time>` : typeof v === 'string' ? escapeHtml(v) : v]),
      );
      const parts = this.format(from, id, locale).format<string>({ ...escaped, strong: (chunks: string[]) => `<strong>${chunks.join('')}</strong>` });
      return Array.isArray(parts) ? parts.join('') : String(parts);
    };
    const translator: Translator = {
      locale,
      t,
      html,
      say,
      dateTime,
      source: (id) => {
        const from = chain.find((l) => this.messages.get(l)?.[id] !== undefined);
        return from ? this.messages.get(from)![id]! : id;
      },
      // The catalogue does not change once loaded: the scripts' messages are gathered once, on the first page.
      clientMessages: () => (client ??= this.clientMessagesOf(chain)),
    };
    this.translators.set(key, translator);
    return translator;
  }

  /** The `client.` messages (for the pages' scripts) along `chain`, the first language's winning. */
  private clientMessagesOf(chain: readonly string[]): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const l of [...chain].reverse()) {
      for (const [id, m] of Object.entries(this.messages.get(l) ?? {})) if (id.startsWith('client.')) out[id] = m;
    }
    return out;
  }

  /** The first of `wanted` we have, exactly (case aside) or by its base language. */
  private pick(wanted: readonly string[]): string | undefined {
    const have = [...this.messages.keys()];
    for (const w of wanted) {
      const exact = have.find((h) => h.toLowerCase() === w.toLowerCase());
      if (exact) return exact;
      const base = have.find((h) => h.toLowerCase() === w.split('-')[0]!.toLowerCase());
      if (base && base !== PSEUDO_LOCALE) return base;
    }
    return undefined;
  }

  private fallbacks(locale: string): string[] {
    return [...new Set([locale, locale.split('-')[0]!, this.defaultLocale, SOURCE_LOCALE])];
  }

  private format(from: string, id: string, locale = from): IntlMessageFormat {
    const key = `${locale}\u0000${from}\u0000${id}`;
    let f = this.compiled.get(key);
    if (!f) {
      try {
        f = new IntlMessageFormat(this.messages.get(from)![id]!, intlLocale(locale));
      } catch (e) {
        throw new Error(`locales ${from}.json, message "${id}": ${(e as Error).message}`, { cause: e });
      }
      this.compiled.set(key, f);
    }
    return f;
  }
}
