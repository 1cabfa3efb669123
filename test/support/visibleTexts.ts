/** What a page shows a person, as text: text nodes, the title, and the attributes that are read out or shown. */
export function visibleTexts(html: string): string[] {
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
