import type { Pool } from 'undici';
import type { Recorder } from './Recorder.ts';

/** What one request came back with (the body already read). */
export interface Reply {
  status: number;
  location?: string;
  body: string;
}

/**
 * One browser for one flow: keeps cookies by name (as the test suite's Browser does), never follows redirects,
 * and times every request as a named step. Requests go over a shared keep-alive pool to one server.
 */
export class UserAgent {
  readonly cookies = new Map<string, string>();
  readonly pool: Pool;
  readonly recorder: Recorder;

  constructor(pool: Pool, recorder: Recorder) {
    this.pool = pool;
    this.recorder = recorder;
  }

  async request(step: string, method: 'GET' | 'POST', path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const started = performance.now();
    const res = await this.pool.request({ method, path, headers: h, ...(body !== undefined ? { body } : {}) });
    const text = await res.body.text();
    this.recorder.record(step, performance.now() - started);
    if (this.recorder.afterStep) await this.recorder.afterStep(step);
    const setCookie = res.headers['set-cookie'];
    for (const c of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const pair = c.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.location;
    return { status: res.statusCode, ...(typeof location === 'string' ? { location } : {}), body: text };
  }

  /** A step that must answer with a redirect; returns where to. */
  async redirect(step: string, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<string> {
    const r = await this.request(step, method, path, form);
    if (r.status < 300 || r.status >= 400 || !r.location) throw new Error(`${step}: expected a redirect, got ${r.status} ${excerpt(r.body)}`);
    return r.location;
  }

  /** A step that must answer 200 with a page. */
  async page(step: string, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<string> {
    const r = await this.request(step, method, path, form);
    if (r.status !== 200) throw new Error(`${step}: expected 200, got ${r.status} ${r.location ?? ''} ${excerpt(r.body)}`);
    return r.body;
  }
}

/** The error text of a page, or its start, for error messages. */
export function excerpt(html: string): string {
  const error = /id="error"[^>]*>([\s\S]*?)<\//.exec(html)?.[1];
  return (error ?? html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}
