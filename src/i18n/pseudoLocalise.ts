import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCENTED = 'àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ';

const accent = (s: string) => s.replace(/[a-zA-Z]/g, (c) => [...ACCENTED][PLAIN.indexOf(c)]!);

function walk(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((e) => {
    if (e.type === TYPE.literal) return { ...e, value: accent(e.value) };
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      return { ...e, options: Object.fromEntries(Object.entries(e.options).map(([k, o]) => [k, { ...o, value: walk(o.value) }])) } as MessageFormatElement;
    }
    if (e.type === TYPE.tag) return { ...e, children: walk(e.children) };
    return e;
  });
}

/**
 * An English ICU message in the pseudo-locale: the words accented, placeholders, plural forms and `#` kept as they
 * are, the whole in ⟦ ⟧ so a truncated or concatenated message shows too.
 */
export function pseudoLocalise(message: string): string {
  return `⟦${printAST(walk(parse(message)))}⟧`;
}
