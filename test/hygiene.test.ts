import http from 'node:http';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { formAction, pageError } from './support/Browser.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { startAuthorization, submitIdentifier } from './support/rp.js';
import { CLIENT_ID, REDIRECT_URI, TEST_CLIENT, testConfig } from './support/testServer.js';
import { postForm } from './support/postForm.js';
import { useProxiedServer } from './support/useProxiedServer.js';
import { byTest } from './support/byTest.js';

const OPS = apiClient('ops', 'ops-secret-0123456789', ['User.ReadWrite.All']);

let d: Deployment;
useDeployment({ config: () => testConfig({ clients: [TEST_CLIENT, OPS] }) }, (x) => (d = x));

/** A sign-in on the TAP step of a user with a fresh TAP; `action` is where the step posts. */
async function tapStep(upn: string) {
  const user = await d.server.plugin.directory.importSeed({ userPrincipalName: upn, displayName: upn, userType: 'Member', roles: [], groups: [] });
  await d.server.plugin.taps.create(user, { lifetimeInMinutes: 60 }, byTest);
  const a = await startAuthorization(d.rp);
  const step = await submitIdentifier(a, upn);
  expect(step.html).toContain('name="tap"');
  return { user, browser: a.browser, action: formAction(step.html, step.url) };
}

/** The attributes of each Set-Cookie of a response, by cookie name. */
function cookieAttributes(res: Response): Map<string, string[]> {
  return new Map(
    res.headers.getSetCookie().map((c) => {
      const [pair, ...attrs] = c.split(';').map((p) => p.trim());
      return [pair!.slice(0, pair!.indexOf('=')), attrs.map((a) => a.toLowerCase())];
    }),
  );
}

/** An authorization request as a relying party would send the browser, without following it. */
async function authorize(issuer: string, headers: Record<string, string> = {}) {
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  }).toString();
  return fetch(url, { redirect: 'manual', headers });
}

describe('form posts from another site', () => {
  it('are refused at the TAP step with a readable 403 page, and nothing is checked or counted', async () => {
    const { user, browser, action } = await tapStep('csrf-1@contoso.com');
    const logsBefore = d.server.logs.length;
    for (const origin of ['https://evil.example', 'null', `${new URL(d.server.url).protocol}//${new URL(d.server.url).hostname}:1`]) {
      const r = await postForm(browser, action, 'username=csrf-1%40contoso.com&tap=WRONG1XYZ', { origin });
      expect(r.res.status, origin).toBe(403);
      expect(r.res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.res.headers.get('cache-control')).toBe('no-store');
      expect(r.html).toContain('This form was sent from another site, so it was not accepted.');
    }
    // Without Origin, a Referer of another site is refused the same way.
    expect((await postForm(browser, action, 'username=csrf-1%40contoso.com&tap=WRONG1XYZ', { referer: 'https://evil.example/page' })).res.status).toBe(403);

    expect(await d.server.plugin.taps.failureCount(user)).toBe(0);
    const lines = d.server.logs.slice(logsBefore).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.filter((l) => l.msg === 'tap.signin')).toHaveLength(0);
    expect(lines.filter((l) => l.msg === 'request.refused')).toHaveLength(4);
  });

  it('are accepted from our own origin, and without Origin or Referer (scripts, old browsers)', async () => {
    const { user, browser, action } = await tapStep('csrf-2@contoso.com');
    const own = new URL(d.server.url).origin;
    expect((await postForm(browser, action, 'username=csrf-2%40contoso.com&tap=WRONG1XYZ', { origin: own })).res.status).toBe(400);
    expect((await postForm(browser, action, 'username=csrf-2%40contoso.com&tap=WRONG2XYZ', { referer: `${own}/interaction/x` })).res.status).toBe(400);
    expect((await postForm(browser, action, 'username=csrf-2%40contoso.com&tap=WRONG3XYZ')).res.status).toBe(400);
    expect(await d.server.plugin.taps.failureCount(user)).toBe(3);
  });

  it('cannot come from our own pages with Origin: null, since the pages send their origin (Referrer-Policy same-origin)', async () => {
    const a = await startAuthorization(d.rp);
    expect(a.html).toContain('<meta name="referrer" content="same-origin">');
    const res = await fetch(a.url, { headers: { cookie: [...a.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('request bodies', () => {
  it('a form larger than 16 KiB gets a readable 413 page', async () => {
    const { browser, action } = await tapStep('big-form@contoso.com');
    const r = await postForm(browser, action, `username=big-form%40contoso.com&tap=${'A'.repeat(20_000)}`);
    expect(r.res.status).toBe(413);
    expect(r.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.html).toContain('The form is too large.');
  });

  it('a large form without a declared length (chunked) gets 413 too', async () => {
    const { browser, action } = await tapStep('big-chunked@contoso.com');
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked', cookie } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(`x${i}=${'B'.repeat(4000)}&`);
      req.end();
    });
    expect(status).toBe(413);
  });
});

describe('caching', () => {
  it('pages, the admin API and the token endpoint say Cache-Control: no-store', async () => {
    const a = await startAuthorization(d.rp);
    const page = await a.browser.request(a.url);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const step = await submitIdentifier(a, 'pat@contoso.com');
    expect(step.res.headers.get('cache-control')).toBe('no-store');

    expect((await graph(d.server.url, undefined, 'GET', '/users')).headers.get('cache-control')).toBe('no-store');
    const token = await appToken(d.server.url, OPS.client_id, OPS.client_secret, 'User.ReadWrite.All');
    expect((await graph(d.server.url, token, 'GET', '/users')).headers.get('cache-control')).toBe('no-store');

    const res = await fetch(`${d.server.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${OPS.client_id}:${OPS.client_secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=User.ReadWrite.All',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('cookies and transport on a plain-HTTP issuer', () => {
  it('are HttpOnly and SameSite=Lax, without Secure, and there is no HSTS', async () => {
    const res = await authorize(d.server.url);
    expect(res.status).toBe(303);
    const cookies = cookieAttributes(res);
    expect(cookies.size).toBeGreaterThan(0);
    for (const [name, attrs] of cookies) {
      expect(attrs, name).toContain('httponly');
      expect(attrs, name).toContain('samesite=lax');
      expect(attrs, name).not.toContain('secure');
    }
    expect(res.headers.get('strict-transport-security')).toBeNull();

    // X-Forwarded-Proto is not believed without TRUST_PROXY.
    const spoofed = await authorize(d.server.url, { 'x-forwarded-proto': 'https' });
    for (const [name, attrs] of cookieAttributes(spoofed)) expect(attrs, name).not.toContain('secure');
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('an https issuer behind a TLS-terminating proxy (TRUST_PROXY)', () => {
  const ISSUER = 'https://idp.example.test';
  let url: string;
  useProxiedServer(() => d, ISSUER, (u) => (url = u));

  it('sets Secure on every cookie when the proxy says the request came over https, and sends HSTS', async () => {
    const res = await authorize(url, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'idp.example.test' });
    expect(res.status).toBe(303);
    const cookies = cookieAttributes(res);
    expect(cookies.size).toBeGreaterThan(0);
    for (const [name, attrs] of cookies) {
      expect(attrs, name).toContain('secure');
      expect(attrs, name).toContain('httponly');
      expect(attrs, name).toContain('samesite=lax');
    }
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('sets Secure on the security-info page cookies too', async () => {
    const res = await fetch(`${url}/account/security-info`, { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    const cookies = cookieAttributes(res);
    expect(cookies.size).toBeGreaterThan(0);
    for (const [name, attrs] of cookies) {
      expect(attrs, name).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/account']));
    }
  });

  it('accepts form posts whose Origin is the issuer, not the address the proxy reached', async () => {
    const res = await fetch(`${url}/interaction/nope/identifier`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: 'username=x',
    });
    expect(res.status).toBe(403);
    const own = await fetch(`${url}/interaction/nope/identifier`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ISSUER },
      body: 'username=x',
    });
    // Past the origin check: an interaction that does not exist.
    expect(own.status).toBe(400);
    expect(pageError(await own.text()) ?? '').not.toContain('another site');
  });
});
