/** What a page shows a person, as text: text nodes, the title, and the attributes that are read out or shown. */
function visibleTexts(html: string): string[] {
  const decode = (s: string) =>
    s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n))).replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  // Dates are Intl's (re-formatted by the browser); scripts and data blocks are not text (the messages block is checked on its own).
  const body = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '').replace(/<time[^>]*>[\s\S]*?<\/time>/g, '');
  const texts: string[] = [];
  for (const m of body.matchAll(/>([^<]+)</g)) texts.push(decode(m[1]!));
  for (const m of body.matchAll(/\s(?:aria-label|placeholder|alt|title)="([^"]*)"/g)) texts.push(decode(m[1]!));
  for (const m of body.matchAll(/<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"/g)) texts.push(decode(m[1]!));
  return texts.map((t) => t.trim()).filter(Boolean);
}

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
