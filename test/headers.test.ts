import http from 'node:http';
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { keys } from '../src/store/keys.js';
import { Browser, formAction } from './support/Browser.js';
import { launchChromium } from './support/chromium.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { redeem, relyingParty, signInWithPassword, startAuthorization } from './support/rp.js';
import { CLIENT_ID, REDIRECT_URI, startTestServer, TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';
import { useProxiedServer } from './support/useProxiedServer.js';

let d: Deployment;
useDeployment({}, (x) => (d = x));

const EVIL = 'evil.example';
const PASSWORD = 'correct horse battery staple';
const DAY_MS = 24 * 3600_000;

/** A request as an attacker sends it: any Host, any request target, any header. */
function raw(base: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every absolute URL anywhere in a JSON document. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

/** The forged requests for a discovery document, and what each would pass itself off as. */
const FORGERIES: Array<[string, string, Record<string, string>]> = [
  ['Host', '/.well-known/openid-configuration', { host: EVIL }],
  ['X-Forwarded-Host', '/.well-known/openid-configuration', { 'x-forwarded-host': EVIL }],
  ['X-Forwarded-Host and -Proto', '/.well-known/openid-configuration', { host: EVIL, 'x-forwarded-host': EVIL, 'x-forwarded-proto': 'https' }],
  ['an absolute request target', `http://${EVIL}/.well-known/openid-configuration`, { host: EVIL }],
];

async function expectIssuerOnlyDiscovery(base: string, issuer: string) {
  for (const [what, target, headers] of FORGERIES) {
    const res = await raw(base, target, headers);
    expect(res.status, what).toBe(200);
    const doc = JSON.parse(res.body) as Record<string, unknown>;
    const urls = urlsIn(doc);
    expect(urls.length, what).toBeGreaterThan(5);
    for (const u of urls) expect(u === issuer || u.startsWith(`${issuer}/`), `${what}: ${u}`).toBe(true);
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      expect(doc[field], `${what}: ${field}`).toMatch(new RegExp(`^${issuer.replaceAll('.', '\\.')}/`));
    }
    expect(res.headers['cache-control'], what).toBe('public, max-age=300');
  }
}

/** An authorization request, sent as a browser would through `raw`; returns the response without following it. */
function authorizeRaw(base: string, headers: Record<string, string>, params: Record<string, string> = {}, target?: (query: string) => string) {
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...params,
  }).toString();
  return raw(base, target ? target(query) : `/auth?${query}`, headers);
}

describe('absolute URLs come from ISSUER alone', () => {
  let proxied: TestServer;
  beforeAll(async () => {
    proxied = await startTestServer(d.redis.url, { clock: d.clock, trustProxy: true });
  });
  afterAll(() => proxied?.close());

  it('discovery names only the issuer, whatever Host, X-Forwarded-Host or request target is sent, and may be cached briefly', async () => {
    await expectIssuerOnlyDiscovery(d.server.url, d.server.url);
  });

  it('discovery names only the issuer behind a trusted proxy too (TRUST_PROXY), whatever X-Forwarded-Host says', async () => {
    await expectIssuerOnlyDiscovery(proxied.url, proxied.url);
  });

  it('the redirects of an authorization request with a forged Host lead only to the issuer, up to the client', async () => {
    for (const server of [d.server, proxied]) {
      for (const [what, target, headers] of FORGERIES) {
        const res = await authorizeRaw(server.url, headers, {}, target.startsWith('http') ? (q) => `http://${EVIL}/auth?${q}` : undefined);
        expect(res.status, what).toBe(303);
        const location = res.headers.location!;
        expect(location.startsWith('/') || location.startsWith(`${server.url}/`), `${what}: ${location}`).toBe(true);
        expect(location).not.toContain(EVIL);
      }
    }

    // The whole sign-in, started with a forged Host: after the password the browser is sent back to the issuer's
    // own /auth (not the forged host's), and from there to the client.
    const browser = new Browser();
    const started = await authorizeRaw(d.server.url, { host: EVIL, 'x-forwarded-host': EVIL }, { prompt: 'login', state: 'forged-host' });
    for (const c of ([] as string[]).concat(started.headers['set-cookie'] ?? [])) {
      const [pair] = c.split(';');
      browser.cookies.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1));
    }
    const page = await browser.follow(new URL(started.headers.location!, d.server.url).href);
    const step = await browser.submit(formAction(page.html, page.url), { username: 'pat@contoso.com' });
    const action = formAction(step.html, step.url).replace(/\/method\/[^/?#]+$/, '/method/password');
    const done = await browser.submit(action, { username: 'pat@contoso.com', password: PASSWORD });
    expect(done.url.startsWith(`${REDIRECT_URI}?`), done.url).toBe(true);
    expect(new URL(done.url).searchParams.get('code')).toBeTruthy();
  });

  it('the logout page posts to the issuer, whatever Host the request carried', async () => {
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    expect(flow.callback).toBeDefined();
    const cookie = [...flow.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await raw(d.server.url, '/session/end', { host: EVIL, 'x-forwarded-host': EVIL, cookie });
    expect(res.status).toBe(200);
    expect(formAction(res.body, d.server.url).startsWith(`${d.server.url}/`)).toBe(true);
    expect(res.body).not.toContain(EVIL);
  });
});

describe('an https issuer behind a TLS-terminating proxy', () => {
  const ISSUER = 'https://idp.example.test';
  let url: string;
  useProxiedServer(() => d, ISSUER, (u) => (url = u));

  it('names https URLs of the issuer in discovery even when the proxy forwards http or forges the host', async () => {
    await expectIssuerOnlyDiscovery(url, ISSUER);
    const plain = JSON.parse((await raw(url, '/.well-known/openid-configuration', { 'x-forwarded-proto': 'http' })).body) as { token_endpoint: string };
    expect(plain.token_endpoint).toBe(`${ISSUER}/token`);
  });
});

describe('sign-in sessions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** prompt=none in the browser; returns the callback's parameters. */
  async function silent(browser: Browser) {
    const a = await startAuthorization(d.rp, { prompt: 'none' }, browser);
    expect(a.url.startsWith(`${REDIRECT_URI}?`), a.url).toBe(true);
    return { a, params: new URL(a.url).searchParams };
  }

  it('end sessionTtlSeconds after the sign-in however often they are used, with the sign-in time as auth_time until then', async () => {
    const ttlSec = 14 * 24 * 3600; // the default sessionTtlSeconds
    const t0 = Date.now();
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    const authTime = (await redeem(d.rp, flow)).claims()!.auth_time!;
    expect(Math.abs(authTime - t0 / 1000)).toBeLessThan(5);

    vi.useFakeTimers({ toFake: ['Date'] });
    // Used on day 13: single sign-on, with the day-0 auth_time; the session and its cookie still end on day 14.
    vi.setSystemTime(t0 + 13 * DAY_MS);
    const day13 = await silent(flow.browser);
    expect(day13.params.get('code'), day13.a.url).toBeTruthy();
    const tokens13 = await redeem(d.rp, { ...day13.a, callback: day13.a.url });
    expect(tokens13.claims()!.auth_time).toBe(authTime);
    const sessionId = flow.browser.cookies.get('_session')!;
    const stored = JSON.parse((await d.server.redis.hget(keys.model('Session', sessionId), 'p'))!) as { exp: number };
    expect(stored.exp).toBeLessThanOrEqual(authTime + ttlSec + 2);

    // Used again on day 26 (13 days after the last use, 26 after the sign-in): signed out.
    vi.setSystemTime(t0 + 26 * DAY_MS);
    const day26 = await silent(flow.browser);
    expect(day26.params.get('error')).toBe('login_required');
    expect(day26.params.get('code')).toBeNull();
    const again = await startAuthorization(d.rp, {}, flow.browser);
    expect(again.url.startsWith(REDIRECT_URI)).toBe(false);
    expect(again.html).toContain('name="username"');
  });

  it('is refused just after sessionTtlSeconds even when used ten seconds before it, and its cookie ends then too', async () => {
    const ttlSec = 14 * 24 * 3600;
    const t0 = Date.now();
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    await redeem(d.rp, flow);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t0 + (ttlSec - 10) * 1000);
    const before = await silent(flow.browser);
    expect(before.params.get('code')).toBeTruthy();
    const setCookie = (await flow.browser.request(`${d.server.url}/session/end`)).headers.getSetCookie().find((c) => c.startsWith('_session='));
    expect(setCookie, 'the session was saved again').toBeDefined();
    const expires = /expires=([^;]+)/i.exec(setCookie!)?.[1];
    expect(Date.parse(expires!)).toBeLessThanOrEqual(t0 + (ttlSec + 2) * 1000);
    vi.setSystemTime(t0 + (ttlSec + 5) * 1000);
    expect((await silent(flow.browser)).params.get('error')).toBe('login_required');
  });

  it('end sessionTtlSeconds after the sign-in even when stored with a later end (a session saved before this rule)', async () => {
    const ttlSec = 14 * 24 * 3600;
    const t0 = Date.now();
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    await redeem(d.rp, flow);
    const key = keys.model('Session', flow.browser.cookies.get('_session')!);
    const stored = JSON.parse((await d.server.redis.hget(key, 'p'))!) as { exp: number };
    await d.server.redis.hset(key, 'p', JSON.stringify({ ...stored, exp: stored.exp + 30 * 24 * 3600 }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t0 + (ttlSec + 60) * 1000);
    expect((await silent(flow.browser)).params.get('error')).toBe('login_required');
  });
});

describe('an idle timeout (option sessionIdleTimeoutSeconds)', () => {
  let idle: TestServer;
  let rp: Awaited<ReturnType<typeof relyingParty>>;
  beforeAll(async () => {
    idle = await startTestServer(d.redis.url, { clock: d.clock, config: testConfig({ options: { sessionIdleTimeoutSeconds: 3600 } }) });
    rp = await relyingParty(idle.url);
  });
  afterAll(() => idle?.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  async function silentCallback(browser: Browser) {
    const a = await startAuthorization(rp, { prompt: 'none' }, browser);
    expect(a.url.startsWith(`${REDIRECT_URI}?`), a.url).toBe(true);
    return new URL(a.url).searchParams;
  }

  it('ends a session unused for that long, while each use within it starts the wait again', async () => {
    const t0 = Date.now();
    const flow = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD);
    expect(flow.callback).toBeDefined();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t0 + 50 * 60_000);
    expect((await silentCallback(flow.browser)).get('code')).toBeTruthy();
    vi.setSystemTime(t0 + 100 * 60_000);
    expect((await silentCallback(flow.browser)).get('code')).toBeTruthy();
    vi.setSystemTime(t0 + 162 * 60_000);
    expect((await silentCallback(flow.browser)).get('error')).toBe('login_required');
  });
});

describe('every HTML page carries our Content-Security-Policy', () => {
  /** The policy of the sign-in pages, the reference. */
  async function ourCsp(): Promise<string> {
    const a = await startAuthorization(d.rp);
    const csp = (await a.browser.request(a.url)).headers.get('content-security-policy');
    expect(csp).toContain("default-src 'none'");
    return csp!;
  }

  /** The same policy (oidc-provider may only add the hash of its one inline script), a language, nothing from elsewhere. */
  function expectOurPage(what: string, res: { status: number; headers: Headers }, html: string, csp: string, ours = true) {
    expect(res.headers.get('content-type'), what).toMatch(/^text\/html/);
    const got = res.headers.get('content-security-policy');
    expect(got, what).toBeTruthy();
    const normalise = (p: string) => p.replace(/ 'sha256-[A-Za-z0-9+/=]+'/g, '').split(';').map((x) => x.trim()).filter(Boolean).join('; ');
    expect(normalise(got!), what).toBe(normalise(csp));
    expect(got, what).not.toContain('unsafe-inline');
    if (ours) expect(html, what).toMatch(/<html lang="[a-z]{2}(-[A-Za-z]+)?"/);
    expect(html, what).not.toMatch(/(src|href)="https?:\/\/|@import|url\(https?:|fonts\.googleapis/);
    for (const [, action] of html.matchAll(/action="([^"]*)"/g)) expect(action!.startsWith('/') || action!.startsWith(`${d.server.url}/`), `${what}: ${action}`).toBe(true);
  }

  it('the logout page, the post-logout page, the sign-out without a session, provider errors and the 404 page', async () => {
    const csp = await ourCsp();

    // Logout of a signed-in browser: a page that asks, and works without script (a plain form).
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    expect(flow.callback).toBeDefined();
    const logout = await flow.browser.follow(`${d.server.url}/session/end`);
    expectOurPage('logout', logout.res, logout.html, csp);
    expect(logout.html).not.toMatch(/<script>/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(logout.html)?.[1];
    expect(xsrf).toBeTruthy();
    expect(logout.html).toMatch(/<button[^>]*name="logout"[^>]*value="yes"/);
    const after = await flow.browser.submit(formAction(logout.html, logout.url), { xsrf: xsrf!, logout: 'yes' });
    expect(new URL(after.url).pathname).toBe('/session/end/success');
    expectOurPage('post-logout', after.res, after.html, csp);
    expect(after.html).toMatch(/signed out/i);
    expect(flow.browser.cookies.get('_session')).toBeUndefined();
    expect((await startAuthorization(d.rp, { prompt: 'none' }, flow.browser)).url).toContain('error=login_required');

    // Without a signed-in session oidc-provider would write its own auto-posting page (English, no lang, an inline
    // script allowed by a hash); ours replaces it: our layout and language, the policy as it is (no hash), the post
    // made by a script file, and a visible Continue button for a browser without script.
    const anonymous = await new Browser().follow(`${d.server.url}/session/end`);
    expectOurPage('logout without a session', anonymous.res, anonymous.html, csp);
    expect(anonymous.res.headers.get('content-security-policy')).not.toContain('sha256-');
    expect(anonymous.html).not.toMatch(/<script>|Submitting Callback|<noscript>/);
    expect(anonymous.html).toContain('<script src="/assets/autosubmit.js" defer></script>');
    expect(anonymous.html).toMatch(/<form class="form" id="auto-submit" method="post" action="[^"]*\/session\/end\/confirm">/);
    expect(anonymous.html).toMatch(/<input type="hidden" name="logout" value="yes">/);
    expect(anonymous.html).toMatch(/<button class="btn btn-primary" type="submit">/);

    // Errors that cannot go back to the client.
    const base = { response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
    const unknownClient = await new Browser().follow(`${d.server.url}/auth?${new URLSearchParams({ ...base, client_id: 'nobody', redirect_uri: REDIRECT_URI })}`);
    expect(unknownClient.res.status).toBe(400);
    expectOurPage('unknown client', unknownClient.res, unknownClient.html, csp);
    const wrongRedirect = await new Browser().follow(`${d.server.url}/auth?${new URLSearchParams({ ...base, client_id: CLIENT_ID, redirect_uri: 'https://evil.example/cb' })}`);
    expect(wrongRedirect.res.status).toBe(400);
    expectOurPage('wrong redirect_uri', wrongRedirect.res, wrongRedirect.html, csp);
    expect(wrongRedirect.html).not.toContain('https://evil.example');

    // An unknown path, as a browser asks for it.
    const missing = await new Browser().follow(`${d.server.url}/no-such-page`, undefined, { headers: { accept: 'text/html' } });
    expect(missing.res.status).toBe(404);
    expectOurPage('404', missing.res, missing.html, csp);
    expect(missing.html).toMatch(/not found|does not exist/i);
  });
});

describe('form-action of a client that signs out to another origin', () => {
  it('allows its post_logout_redirect_uri origin, where the logout form leads after the post', async () => {
    const client = { ...TEST_CLIENT, client_id: 'bye-rp', post_logout_redirect_uris: ['https://bye.example.test/signed-out'] };
    const server = await startTestServer(d.redis.url, { clock: d.clock, config: testConfig({ clients: [TEST_CLIENT, client] }) });
    try {
      const flow = await signInWithPassword(await relyingParty(server.url), 'pat@contoso.com', PASSWORD);
      const logout = await flow.browser.follow(`${server.url}/session/end?client_id=bye-rp&post_logout_redirect_uri=${encodeURIComponent('https://bye.example.test/signed-out')}`);
      expect(logout.res.status).toBe(200);
      expect(logout.res.headers.get('content-security-policy')).toMatch(/form-action 'self'[^;]* https:\/\/bye\.example\.test(;| |$)/);
    } finally {
      await server.close();
    }
  });
});

describe('the logout pages in a browser, under the Content-Security-Policy', () => {
  let chromium: PlaywrightBrowser;
  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(() => chromium?.close());

  it('sign out with the button, and without a session the automatic post runs, with no policy violation and nothing fetched elsewhere', async () => {
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    expect(flow.callback).toBeDefined();
    const context = await chromium.newContext();
    await context.addCookies([...flow.browser.cookies].map(([name, value]) => ({ name, value, url: d.server.url })));
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const elsewhere: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`${d.server.url}/`) && !r.url().startsWith('data:')) elsewhere.push(r.url());
    });

    await page.goto(`${d.server.url}/session/end`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/session/end/success');

    // No session any more: oidc-provider's own page posts its form by script, which the policy allows by hash.
    await page.goto(`${d.server.url}/session/end`);
    await page.waitForURL(`${d.server.url}/session/end/success`);
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();

    expect(violations).toEqual([]);
    expect(elsewhere).toEqual([]);
    await context.close();
  });

  it('"No, stay signed in" keeps the session and says so', async () => {
    const flow = await signInWithPassword(d.rp, 'pat@contoso.com', PASSWORD);
    const context = await chromium.newContext();
    await context.addCookies([...flow.browser.cookies].map(([name, value]) => ({ name, value, url: d.server.url })));
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`${d.server.url}/session/end`);
    await page.getByRole('button', { name: 'No, stay signed in' }).click();
    await page.getByRole('heading', { name: 'You are still signed in' }).waitFor();
    await context.close();
    expect((await startAuthorization(d.rp, { prompt: 'none' }, flow.browser)).url).toContain('code=');
  });
});
