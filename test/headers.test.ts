import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/http/createApp.js';
import { createLogger } from '../src/log/createLogger.js';
import { connectRedis } from '../src/store/connectRedis.js';
import { keys } from '../src/store/keys.js';
import { tapPlugin } from '../src/tapPlugin.js';
import { Browser, formAction } from './support/Browser.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { redeem, signInWithPassword, startAuthorization } from './support/rp.js';
import { CLIENT_ID, REDIRECT_URI, startTestServer, testConfig, testSecrets, type TestServer } from './support/testServer.js';

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
  let close: () => Promise<void>;
  beforeAll(async () => {
    const redis = connectRedis(d.redis.url);
    const plugin = tapPlugin({ issuer: ISSUER, redis, config: testConfig(), secrets: await testSecrets(), clock: d.clock, logger: createLogger(() => {}) });
    const { app } = createApp({ issuer: ISSUER, plugin, redis, trustProxy: true });
    const server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await plugin.close();
      redis.disconnect();
    };
  });
  afterAll(() => close?.());

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
