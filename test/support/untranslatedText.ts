import { visibleTexts } from './visibleTexts.js';

/**
 * The words of a page in the pseudo-locale that did not come from the catalogue: every catalogue message there is
 * in ⟦ ⟧ with its letters accented, so what is left with plain letters outside them is English built somewhere
 * else. `data` are the page's own values (a user name, an application's name), which stay as they are.
 */
export function untranslatedText(html: string, data: readonly string[] = []): string[] {
  const left: string[] = [];
  for (const text of visibleTexts(html)) {
    // A message split by markup (<strong>) leaves ⟦ or ⟧ alone in a text node: what follows ⟦ or precedes ⟧ is ours.
    let rest = text.replace(/⟦[^⟧]*(⟧|$)/g, ' ').replace(/^[^⟦]*⟧/, ' ');
    for (const d of [...data].sort((x, y) => y.length - x.length)) rest = rest.replaceAll(d, ' ');
    if (/[A-Za-z]/.test(rest)) left.push(text);
  }
  return left;
}
