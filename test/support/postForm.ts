import type { Browser } from './Browser.js';

/**
 * POST a form as the page would, with the browser's cookies, without following the answer; `headers` adds e.g.
 * the X-Forwarded-For a trusted proxy sets. A string `form` is sent as it is (a hand-made body).
 */
export async function postForm(browser: Browser, url: string, form: Record<string, string> | string, headers: Record<string, string> = {}) {
  const res = await browser.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
  });
  return { res, html: await res.text() };
}
