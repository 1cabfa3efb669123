/**
 * A minimal cookie-keeping HTTP user agent for flow tests without a real browser: it follows redirects by
 * hand so tests can stop at the relying party's callback, and keeps cookies as a browser would (by name).
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  /** `headers` go with every request, as a browser's own do (e.g. its `Accept-Language`). */
  constructor(private readonly headers: Record<string, string> = {}) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers({ ...this.headers, ...Object.fromEntries(new Headers(init.headers)) });
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** GET and follow redirects until a page, or until a redirect that leaves `origin` (returned unfollowed). */
  async follow(url: string, origin = new URL(url).origin, init: RequestInit = {}): Promise<{ res: Response; url: string; html: string }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 10; hops++) {
      const next = new URL(res.headers.get('location')!, current).href;
      if (new URL(next).origin !== origin) return { res, url: next, html: '' };
      current = next;
      res = await this.request(current);
    }
    return { res, url: current, html: await res.text() };
  }

  /** POST a form, then follow redirects as `follow` does. */
  async submit(url: string, form: Record<string, string>, origin = new URL(url).origin) {
    return this.follow(url, origin, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }
}

/** The POST target of the page's form. */
export function formAction(html: string, base: string): string {
  const m = /<form[^>]*method="post"[^>]*action="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form on the page:\n${html.slice(0, 2000)}`);
  return new URL(m[1]!.replaceAll('&amp;', '&'), base).href;
}

/** The text of the page's error region, if any. */
export function pageError(html: string): string | undefined {
  const m = /id="error"[^>]*>([\s\S]*?)<\/(?:div|p)>/.exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim().replaceAll('&#39;', "'").replaceAll('&quot;', '"') : undefined;
}
