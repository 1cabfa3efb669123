import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimits } from '../src/ratelimit/RateLimits.js';
import { defaultOptions } from '../src/config/parseConfig.js';
import { formAction, pageError } from './support/Browser.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { startTestServer, TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';
import { postForm } from './support/postForm.js';
import { byTest } from './support/byTest.js';

/** A deployment whose named limits are small enough to reach; the others keep their (generous) defaults. */
function limited(limits: Partial<RateLimits>, extra: Record<string, unknown> = {}) {
  return () => testConfig({ options: { rateLimits: limits }, ...extra });
}

const OPS = apiClient('ops', 'ops-secret-0123456789', ['User.ReadWrite.All']);
const AUDITOR = apiClient('auditor', 'auditor-secret-0123456789', ['User.ReadWrite.All']);
/** A client that sends its credentials in the form, so its client_id can only be read from the body. */
const POSTER = { ...apiClient('poster', 'poster-secret-0123456789', ['User.ReadWrite.All']), token_endpoint_auth_method: 'client_secret_post' };

/** A client credentials token request, by hand, to see the token endpoint's answer as it is. */
async function tokenRequest(issuer: string, client: { client_id: string; client_secret: string }, how: 'basic' | 'post' = 'basic', headers: Record<string, string> = {}) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'User.ReadWrite.All' });
  const auth: Record<string, string> = {};
  if (how === 'basic') auth.authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  else for (const [k, v] of [['client_id', client.client_id], ['client_secret', client.client_secret]] as const) form.set(k, v);
  const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth, ...headers }, body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, string> };
}

/** An authorization code grant of the test client, by hand, to see the token endpoint's answer as it is. */
async function codeRequest(issuer: string, code: string, verifier: string) {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_CLIENT.redirect_uris[0]!, code_verifier: verifier });
  const basic = `Basic ${Buffer.from(`${TEST_CLIENT.client_id}:${TEST_CLIENT.client_secret}`).toString('base64')}`;
  const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('the sign-in steps', () => {
  let d: Deployment;
  useDeployment({ config: limited({ signInPerAccount: { limit: 3, windowSeconds: 60 } }) }, (x) => (d = x));

  it('refuse a fourth post for one account within the window with a readable 429 page, check nothing, and pass again once it has refilled', async () => {
    const user = await d.server.plugin.directory.findByUpn('jdoe@contoso.com');
    await d.server.plugin.taps.create(user!, { lifetimeInMinutes: 60 }, byTest);
    const a = await startAuthorization(d.rp);
    const step = await submitIdentifier(a, 'jdoe@contoso.com'); // 1
    expect(step.html).toContain('name="tap"');
    const action = formAction(step.html, step.url);
    expect((await postForm(a.browser, action, { username: 'jdoe@contoso.com', tap: 'WRONG1XYZ' })).res.status).toBe(400); // 2
    expect((await postForm(a.browser, action, { username: 'JDOE@contoso.com', tap: 'WRONG2XYZ' })).res.status).toBe(400); // 3, any case

    const refused = await postForm(a.browser, action, { username: 'jdoe@contoso.com', tap: 'WRONG3XYZ' });
    expect(refused.res.status).toBe(429);
    // A bucket of 3 per 60 s gets one request back every 20 s.
    expect(refused.res.headers.get('retry-after')).toBe('20');
    expect(refused.res.headers.get('cache-control')).toBe('no-store');
    expect(refused.html).toContain('name="tap"');
    expect(pageError(refused.html)).toBe('Too many attempts for this account. Wait 20 seconds before you try again.');
    // Refused in front of the TAP: its own failure count never saw the attempt.
    expect(await d.server.plugin.taps.failureCount(user!)).toBe(2);

    // Another account from the same address is not held up.
    const other = await startAuthorization(d.rp);
    expect((await submitIdentifier(other, 'pat@contoso.com')).res.status).toBe(200);

    d.clock.advance(19_000);
    expect((await postForm(a.browser, action, { username: 'jdoe@contoso.com', tap: 'WRONG4XYZ' })).res.status).toBe(429);
    d.clock.advance(1_000);
    expect((await postForm(a.browser, action, { username: 'jdoe@contoso.com', tap: 'WRONG5XYZ' })).res.status).toBe(400);
    expect(await d.server.plugin.taps.failureCount(user!)).toBe(3);
  });

  it('count the wait down on the password step too: the refused page carries it for its live countdown (public/app.js)', async () => {
    const a = await startAuthorization(d.rp);
    const step = await submitIdentifier(a, 'pat@contoso.com');
    expect(step.html).toContain('name="password"');
    const action = formAction(step.html, step.url);
    let refused = await postForm(a.browser, action, { username: 'pat@contoso.com', password: 'wrong' });
    for (let i = 0; i < 4 && refused.res.status !== 429; i++) refused = await postForm(a.browser, action, { username: 'pat@contoso.com', password: 'wrong' });
    expect(refused.res.status).toBe(429);
    const seconds = refused.res.headers.get('retry-after');
    expect(refused.html).toContain('name="password"');
    expect(refused.html).toMatch(new RegExp(`id="error" class="alert" role="alert" data-retry-after="${seconds}" data-message="[^"]+" data-values="[^"]+"`));
  });

  it('refuse the identifier step too, on the identifier page', async () => {
    const a = await startAuthorization(d.rp);
    const action = formAction(a.html, a.url);
    for (let i = 0; i < 3; i++) expect((await postForm(a.browser, action, { username: 'contractor@contoso.com' })).res.status).toBe(200);
    const refused = await postForm(a.browser, action, { username: 'contractor@contoso.com' });
    expect(refused.res.status).toBe(429);
    expect(refused.html).toContain('name="username"');
    expect(pageError(refused.html)).toMatch(/^Too many attempts for this account\. Wait \d+ seconds? before you try again\.$/);
  });
});

describe('the per-address limit of the sign-in steps', () => {
  let d: Deployment;
  let proxied: TestServer;
  useDeployment({ config: limited({ signInPerAddress: { limit: 4, windowSeconds: 3600 } }) }, (x) => (d = x));
  beforeAll(async () => {
    proxied = await startTestServer(d.redis.url, { clock: d.clock, config: limited({ signInPerAddress: { limit: 4, windowSeconds: 3600 } })(), trustProxy: true });
  });
  afterAll(() => proxied?.close());

  it('cannot be dodged with X-Forwarded-For without TRUST_PROXY', async () => {
    const a = await startAuthorization(d.rp);
    const action = formAction(a.html, a.url);
    for (let i = 0; i < 4; i++) {
      const r = await postForm(a.browser, action, { username: `someone${i}@contoso.com` }, { 'x-forwarded-for': `198.51.100.${i}` });
      expect(r.res.status).toBe(200);
    }
    const refused = await postForm(a.browser, action, { username: 'someone9@contoso.com' }, { 'x-forwarded-for': '198.51.100.77' });
    expect(refused.res.status).toBe(429);
    expect(refused.res.headers.get('retry-after')).toBe('900');
    expect(pageError(refused.html)).toBe('Too many attempts from your network. Wait 900 seconds before you try again.');
  });

  it('follows the address the proxy added with TRUST_PROXY, not the ones a client put before it', async () => {
    const a = await startAuthorization(d.rp, {}, undefined, proxied.url);
    const action = formAction(a.html, a.url);
    // 127.0.0.1 has spent its bucket above; behind a trusted proxy the client's own address counts instead.
    for (let i = 0; i < 4; i++) {
      const r = await postForm(a.browser, action, { username: 'jdoe@contoso.com' }, { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` });
      expect(r.res.status, `post ${i + 1}`).toBe(200);
    }
    expect((await postForm(a.browser, action, { username: 'jdoe@contoso.com' }, { 'x-forwarded-for': '198.51.100.200, 203.0.113.7' })).res.status).toBe(429);
    // Another client address behind the same proxy has a bucket of its own.
    expect((await postForm(a.browser, action, { username: 'jdoe@contoso.com' }, { 'x-forwarded-for': '203.0.113.8' })).res.status).toBe(200);
  });
});

describe('the token endpoint', () => {
  let d: Deployment;
  useDeployment(
    {
      config: limited(
        { tokenPerClient: { limit: 3, windowSeconds: 60 }, tokenPerAddress: { limit: 12, windowSeconds: 60 } },
        { clients: [TEST_CLIENT, OPS, AUDITOR, POSTER] },
      ),
    },
    (x) => (d = x),
  );

  it('answers a client over its limit 429 with Retry-After and an OAuth error, and serves it again after the window', async () => {
    for (let i = 0; i < 3; i++) expect((await tokenRequest(d.server.url, OPS)).status).toBe(200);
    const refused = await tokenRequest(d.server.url, OPS);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.body.error).toBe('temporarily_unavailable');
    expect(refused.body.error_description).toMatch(/Too many token requests from this client/);
    // Another client is not held up by it.
    expect((await tokenRequest(d.server.url, AUDITOR)).status).toBe(200);

    // Credentials in the form: the client is read from the body, and oidc-provider still reads all of it.
    for (let i = 0; i < 3; i++) {
      const ok = await tokenRequest(d.server.url, POSTER, 'post');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.access_token).toBeTruthy();
    }
    expect((await tokenRequest(d.server.url, POSTER, 'post')).status).toBe(429);

    d.clock.advance(60_000);
    expect((await tokenRequest(d.server.url, OPS)).status).toBe(200);
    expect((await tokenRequest(d.server.url, POSTER, 'post')).status).toBe(200);
  });

  it('redeems nothing it refuses: a code sent over the limit is only read, and redeems once the window has passed', async () => {
    d.clock.advance(60_000);
    const signedIn = await signIn(d.rp, 'pat@contoso.com', { password: 'correct horse battery staple' });
    const code = new URL(signedIn.callback!).searchParams.get('code')!;
    // Spend the client's bucket, then send the code: refused, and (read in the same round trip as the limits) not used.
    for (let i = 0; i < 3; i++) await codeRequest(d.server.url, 'not-a-code', signedIn.verifier);
    const refused = await codeRequest(d.server.url, code, signedIn.verifier);
    expect(refused.status).toBe(429);
    d.clock.advance(60_000);
    const redeemed = await codeRequest(d.server.url, code, signedIn.verifier);
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
    expect(redeemed.body.id_token).toBeTruthy();
  });

  it('limits one address whatever client it names, known or made up', async () => {
    d.clock.advance(60_000);
    const made = (i: number) => ({ client_id: `nobody-${i}`, client_secret: 'x' });
    for (let i = 0; i < 12; i++) expect((await tokenRequest(d.server.url, made(i))).status).toBe(401);
    const refused = await tokenRequest(d.server.url, AUDITOR);
    expect(refused.status).toBe(429);
    expect(refused.body.error_description).toMatch(/from this address/);
    // 12 per 60 s: one back every 5 s (less what has refilled since the burst began).
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    // Its siblings share the address's bucket: introspection, revocation and userinfo.
    for (const [method, path] of [['POST', '/token/introspection'], ['POST', '/token/revocation'], ['GET', '/me']] as const) {
      const res = await fetch(`${d.server.url}${path}`, {
        method,
        headers: { authorization: 'Bearer x', ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(method === 'POST' ? { body: 'token=x' } : {}),
      });
      expect(res.status, path).toBe(429);
    }
  });
});

describe('the admin API', () => {
  let d: Deployment;
  let ops: string;
  let auditor: string;
  useDeployment(
    {
      config: limited({ apiPerCaller: { limit: 5, windowSeconds: 60 } }, { clients: [TEST_CLIENT, OPS, AUDITOR] }),
    },
    (x) => (d = x),
  );
  beforeAll(async () => {
    ops = await appToken(d.server.url, OPS.client_id, OPS.client_secret, 'User.ReadWrite.All');
    auditor = await appToken(d.server.url, AUDITOR.client_id, AUDITOR.client_secret, 'User.ReadWrite.All');
  });

  it('answers a caller over its limit 429 tooManyRequests with Retry-After, and serves it again after the window', async () => {
    for (let i = 0; i < 5; i++) expect((await graph(d.server.url, ops, 'GET', '/users?$top=1')).status).toBe(200);
    const refused = await graph(d.server.url, ops, 'GET', '/users?$top=1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('12');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.body.error?.code).toBe('TooManyRequests');
    expect(refused.body.error?.message).toBe('Too many requests from this caller. Retry after 12 seconds.');
    // The limit is the caller's: another application is not held up.
    expect((await graph(d.server.url, auditor, 'GET', '/users?$top=1')).status).toBe(200);

    d.clock.advance(60_000);
    expect((await graph(d.server.url, ops, 'GET', '/users?$top=1')).status).toBe(200);
  });

});

describe('one limit on two servers', () => {
  let d: Deployment;
  let auditor: string;
  useDeployment(
    { servers: 2, config: limited({ apiPerAddress: { limit: 37, windowSeconds: 3600 } }, { clients: [TEST_CLIENT, AUDITOR] }) },
    (x) => (d = x),
  );
  beforeAll(async () => {
    auditor = await appToken(d.server.url, AUDITOR.client_id, AUDITOR.client_secret, 'User.ReadWrite.All');
  });

  it('lets exactly the limit through when 100 requests from one address race, half on each server', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => graph(d.servers[i % 2]!.url, 'not-a-token', 'GET', '/users').then((r) => r.status)),
    );
    expect(results.filter((s) => s === 401)).toHaveLength(37);
    expect(results.filter((s) => s === 429)).toHaveLength(63);
    // Counted before authentication: a valid token does not get past a spent address either.
    expect((await graph(d.server.url, auditor, 'GET', '/users')).status).toBe(429);
  });
});

describe('the defaults', () => {
  it('are generous, so that people behind one address and busy clients are not held up', () => {
    expect(defaultOptions.rateLimits.signInPerAddress.limit / defaultOptions.rateLimits.signInPerAddress.windowSeconds).toBeGreaterThanOrEqual(10);
    expect(defaultOptions.rateLimits.signInPerAccount.limit).toBeGreaterThan(defaultOptions.tapLockAfterFailures * 10);
  });
});
