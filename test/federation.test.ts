import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Passkey } from '../src/passkeys/Passkey.js';
import { keys } from '../src/store/keys.js';
import { Browser, pageError } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { redeem, signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { REDIRECT_URI, testConfig, type TestServer } from './support/testServer.js';
import { startUpstream, UPSTREAM_CLIENT_ID, UPSTREAM_CLIENT_SECRET, type Upstream } from './support/upstream.js';
import { findUser } from './support/findUser.js';
import { byTest } from './support/byTest.js';

let upstream: Upstream;
/** An issuer nobody answers at: a port that was free a moment ago. */
let deadIssuer: string;
let server: TestServer;
let rp: client.Configuration;

beforeAll(async () => {
  upstream = await startUpstream();
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadIssuer = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});
useDeployment(
  {
    config: () =>
      testConfig({
        federation: {
          domains: {
            'fabrikam.test': { issuer: upstream.url, clientId: UPSTREAM_CLIENT_ID, clientSecret: UPSTREAM_CLIENT_SECRET },
            'down.test': { issuer: deadIssuer, clientId: UPSTREAM_CLIENT_ID, clientSecret: UPSTREAM_CLIENT_SECRET, tokenEndpointAuthMethod: 'client_secret_post' },
          },
        },
      }),
  },
  (d) => ({ server, rp } = d),
);
beforeAll(() => upstream.start(`${server.url}/federation/callback`));
afterAll(() => upstream.close());

/** Relying party → identifier; the browser stops at the redirect that leaves the provider. */
async function toUpstream(username: string, params: Record<string, string> = {}) {
  const a = await startAuthorization(rp, params);
  const step = await submitIdentifier(a, username);
  return { ...a, step, uid: new URL(a.url).pathname.split('/')[2]! };
}

/**
 * Through the upstream and back. The upstream gets its own cookie jar: Browser keeps cookies by name only, and
 * both providers use oidc-provider's names (a real browser keeps them apart by path).
 */
async function viaUpstream(browser: Browser, upstreamUrl: string) {
  const there = await new Browser().follow(upstreamUrl);
  const back = await browser.follow(there.url);
  return { upstreamCallback: there.url, back, callback: back.url.startsWith(REDIRECT_URI) ? back.url : undefined };
}

async function federatedSignIn(username: string, params: Record<string, string> = {}) {
  const a = await toUpstream(username, params);
  expect(new URL(a.step.url).origin).toBe(upstream.url);
  return { ...a, ...(await viaUpstream(a.browser, a.step.url)) };
}

/** The page's text as a person reads it (EJS escapes apostrophes). */
function text(html: string): string {
  return html.replaceAll('&#39;', "'").replaceAll('&quot;', '"');
}

/** Nothing was signed in: no session cookie, and a silent request gets login_required. */
async function expectNoSession(browser: Browser) {
  expect([...browser.cookies.keys()].filter((k) => k.startsWith('_session'))).toEqual([]);
  const silent = await startAuthorization(rp, { prompt: 'none' }, browser);
  expect(new URL(silent.url).searchParams.get('error')).toBe('login_required');
}

describe('federated domains', () => {
  it('sends a federated user without a TAP to their provider and back, to tokens whose amr carries fed', async () => {
    const fed = await findUser(server, 'fed@fabrikam.test', { orImport: true });
    const seen = upstream.paths.length;
    const flow = await federatedSignIn('fed@fabrikam.test');
    // oidc-provider puts scope claims in userinfo, not in an ID token issued with an access token: asked there.
    expect(upstream.paths.slice(seen)).toContain('/me');
    const authorization = new URL(flow.step.url);
    expect(flow.step.res.status).toBe(303);
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${server.url}/federation/callback`);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(authorization.searchParams.get('login_hint')).toBe('fed@fabrikam.test');
    expect(flow.upstreamCallback.startsWith(`${server.url}/federation/callback?`)).toBe(true);
    expect(flow.callback).toBeDefined();

    const claims = (await redeem(rp, flow)).claims()!;
    expect(claims.sub).toBe(fed.id);
    expect(claims.amr).toEqual(['fed', 'pwd', 'mfa']);
    // The upstream said nothing of acr; its amr says mfa.
    expect(claims.acr).toBe('mfa');
    // Recorded in the sign-ins log like any other method's sign-in.
    const [latest] = (await server.plugin.audit.querySignIns({ top: 1 })).value as { userId?: string; authenticationMethodsUsed?: string[]; status?: { errorCode: number } }[];
    expect(latest).toMatchObject({ userId: fed.id, authenticationMethodsUsed: ['Federated identity provider'], status: { errorCode: 0 } });
  });

  it('lets a single sign-on session from the upstream serve the next request silently', async () => {
    const flow = await federatedSignIn('fed@fabrikam.test');
    const again = await startAuthorization(rp, { prompt: 'none' }, flow.browser);
    expect(new URL(again.url).searchParams.get('code')).toBeTruthy();
  });

  it('asks a federated user who holds a TAP for it, and no request reaches the upstream', async () => {
    const tapper = await findUser(server, 'tapper@fabrikam.test', { orImport: true });
    const tap = await server.plugin.taps.create(tapper, { lifetimeInMinutes: 60 }, byTest);
    const before = upstream.requests;
    const flow = await signIn(rp, 'tapper@fabrikam.test', { tap: tap.temporaryAccessPass! });
    expect(flow.step.html).toContain('name="tap"');
    expect(flow.step.html).toContain('Sign in with your organisation');
    expect(flow.registration?.html).toContain('Register a passkey');
    expect(flow.callback).toBeDefined();
    expect((await redeem(rp, flow)).claims()!.amr).toEqual(expect.arrayContaining(['tap', 'mfa']));
    expect(upstream.requests).toBe(before);
  });

  it('sends a TAP holder upstream when they choose "Sign in with your organisation"', async () => {
    const chooser = await findUser(server, 'chooser@fabrikam.test', { orImport: true });
    await server.plugin.taps.create(chooser, { lifetimeInMinutes: 60 }, byTest);
    upstream.account = { email: 'chooser@fabrikam.test', amr: ['pwd'] };
    try {
      const a = await startAuthorization(rp);
      const step = await submitIdentifier(a, 'chooser@fabrikam.test');
      const link = /href="([^"]+)"[^>]*>\s*Sign in with your organisation/.exec(step.html)![1]!.replaceAll('&amp;', '&');
      const out = await a.browser.follow(new URL(link, step.url).href);
      expect(new URL(out.url).origin).toBe(upstream.url);
      const back = await viaUpstream(a.browser, out.url);
      const claims = (await redeem(rp, { ...a, callback: back.callback })).claims()!;
      expect(claims.amr).toEqual(['fed', 'pwd']);
      expect(claims.acr).toBe('pwd');
    } finally {
      upstream.account = { email: 'fed@fabrikam.test', amr: ['pwd', 'mfa'] };
    }
  });

  it('offers a federated user their passkey instead of the redirect', async () => {
    const keyed = await findUser(server, 'keyed@fabrikam.test', { orImport: true });
    const passkey: Passkey = {
      id: 'a2V5ZWQtY3JlZGVudGlhbA',
      userId: keyed.id,
      publicKey: 'AA',
      counter: 0,
      transports: ['internal'],
      aaguid: '00000000-0000-0000-0000-000000000000',
      deviceType: 'multiDevice',
      backedUp: true,
      name: 'Laptop',
      createdAt: Date.now(),
    };
    await server.redis.hset(keys.passkeys(keyed.id), passkey.id, JSON.stringify(passkey));
    const before = upstream.requests;
    const a = await toUpstream('keyed@fabrikam.test');
    expect(a.step.res.status).toBe(200);
    expect(a.step.html).toContain('data-webauthn="authenticate"');
    expect(a.step.html).toContain('Sign in with your organisation');
    expect(upstream.requests).toBe(before);
  });

  it('lets the pages\' forms lead to the upstream (CSP form-action)', async () => {
    const a = await startAuthorization(rp);
    const res = await a.browser.request(a.url);
    expect(res.headers.get('content-security-policy')).toMatch(new RegExp(`form-action 'self'[^;]* ${upstream.url.replaceAll('.', '\\.')}`));
  });
});

describe('federated sign-ins that must fail, with nothing signed in', () => {
  it('refuses a forged state at the callback and at the return', async () => {
    const res = await fetch(`${server.url}/federation/callback?code=abc&state=forged&iss=${encodeURIComponent(upstream.url)}`);
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain("This sign-in response isn't valid");

    const a = await toUpstream('fed@fabrikam.test');
    const forged = await a.browser.follow(`${server.url}/interaction/${a.uid}/federation/return?code=abc&state=forged`);
    expect(forged.res.status).toBe(400);
    expect(text(forged.html)).toContain("This sign-in response isn't valid");
    await expectNoSession(a.browser);
  });

  it('refuses a replayed upstream answer, and a replayed upstream code under a fresh state', async () => {
    const first = await federatedSignIn('fed@fabrikam.test');
    expect(first.callback).toBeDefined();

    // The same answer again: its state was taken.
    const second = await toUpstream('fed@fabrikam.test');
    const replay = await second.browser.follow(first.upstreamCallback);
    expect(replay.res.status).toBe(400);
    expect(text(replay.html)).toContain("This sign-in response isn't valid");

    // The old code with this interaction's own state: the upstream refuses to redeem it again.
    const fresh = new URL(second.step.url).searchParams.get('state')!;
    const code = new URL(first.upstreamCallback).searchParams.get('code')!;
    const reuse = await second.browser.follow(
      `${server.url}/federation/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(fresh)}&iss=${encodeURIComponent(upstream.url)}`,
    );
    expect(reuse.res.status).toBe(400);
    expect(text(reuse.html)).toContain("We couldn't verify your organisation's sign-in");
    await expectNoSession(second.browser);
  });

  it('refuses an ID token with another nonce', async () => {
    const a = await toUpstream('fed@fabrikam.test');
    const tampered = new URL(a.step.url);
    tampered.searchParams.set('nonce', 'not-the-nonce-we-sent');
    const back = await viaUpstream(a.browser, tampered.href);
    expect(back.callback).toBeUndefined();
    expect(back.back.res.status).toBe(400);
    expect(text(back.back.html)).toContain("We couldn't verify your organisation's sign-in");
    await expectNoSession(a.browser);
  });

  it('refuses an upstream ID token for another user', async () => {
    await findUser(server, 'other@fabrikam.test', { orImport: true });
    upstream.account = { email: 'other@fabrikam.test', amr: ['pwd'] };
    try {
      const flow = await federatedSignIn('fed@fabrikam.test');
      expect(flow.callback).toBeUndefined();
      expect(flow.back.res.status).toBe(403);
      expect(pageError(flow.back.html)).toBe(
        'Your organisation signed you in as other@fabrikam.test, but this sign-in is for fed@fabrikam.test. Start again with the right account.',
      );
      await expectNoSession(flow.browser);
      const [latest] = (await server.plugin.audit.querySignIns({ top: 1 })).value as { status?: { errorCode: number; failureReason?: string } }[];
      expect(latest!.status!.errorCode).not.toBe(0);
      expect(JSON.stringify(latest)).toContain('UpstreamUserMismatch');
    } finally {
      upstream.account = { email: 'fed@fabrikam.test', amr: ['pwd', 'mfa'] };
    }
  });

  it('sends an unknown user of a federated domain upstream like a known one, and then says there is no account', async () => {
    upstream.account = { email: 'Nobody@Fabrikam.test', amr: ['pwd'] };
    try {
      const flow = await federatedSignIn('nobody@fabrikam.test');
      expect(flow.back.res.status).toBe(403);
      expect(flow.back.html).toContain('No account here');
      await expectNoSession(flow.browser);
    } finally {
      upstream.account = { email: 'fed@fabrikam.test', amr: ['pwd', 'mfa'] };
    }
  });

  it('refuses an email the upstream has not verified', async () => {
    upstream.account = { email: 'fed@fabrikam.test', amr: ['pwd'], emailVerified: false };
    try {
      const flow = await federatedSignIn('fed@fabrikam.test');
      expect(flow.back.res.status).toBe(400);
      expect(text(flow.back.html)).toContain("We couldn't tell who you are");
      await expectNoSession(flow.browser);
    } finally {
      upstream.account = { email: 'fed@fabrikam.test', amr: ['pwd', 'mfa'] };
    }
  });

  it('shows an upstream error answer as a page', async () => {
    const a = await toUpstream('fed@fabrikam.test');
    const state = new URL(a.step.url).searchParams.get('state')!;
    const back = await a.browser.follow(
      `${server.url}/federation/callback?error=access_denied&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(upstream.url)}`,
    );
    expect(back.res.status).toBe(403);
    expect(text(back.html)).toContain("Your organisation didn't sign you in");
    await expectNoSession(a.browser);
  });
});

describe('an upstream that cannot be reached', () => {
  it('says so and offers the TAP of a user who holds one', async () => {
    const dora = await findUser(server, 'dora@down.test', { orImport: true });
    const tap = await server.plugin.taps.create(dora, { lifetimeInMinutes: 60 }, byTest);
    const a = await startAuthorization(rp);
    const step = await submitIdentifier(a, 'dora@down.test');
    const link = /href="([^"]+)"[^>]*>\s*Sign in with your organisation/.exec(step.html)![1]!.replaceAll('&amp;', '&');
    const down = await a.browser.follow(new URL(link, step.url).href);
    expect(down.res.status).toBe(503);
    expect(text(down.html)).toContain("Your organisation's sign-in service can't be reached");
    expect(pageError(down.html)).toMatch(/couldn't reach your organisation's sign-in service/);
    expect(down.html).not.toMatch(/at .*\.(ts|js):\d+/);

    const tapLink = /href="([^"]+)"[^>]*>\s*Use your Temporary Access Pass/.exec(down.html)![1]!.replaceAll('&amp;', '&');
    const tapStep = await a.browser.follow(new URL(tapLink, down.url).href);
    expect(tapStep.html).toContain('name="tap"');
    const done = await signIn(rp, 'dora@down.test', { tap: tap.temporaryAccessPass! });
    expect(done.callback).toBeDefined();
  });

  it('says so to a user with no other way in, and offers to try again', async () => {
    await findUser(server, 'dan@down.test', { orImport: true });
    const a = await startAuthorization(rp);
    const down = await submitIdentifier(a, 'dan@down.test');
    expect(down.res.status).toBe(503);
    expect(text(down.html)).toContain("Your organisation's sign-in service can't be reached");
    expect(down.html).toContain('Try again');
    expect(down.html).not.toContain('Temporary Access Pass');
    expect(down.html).not.toContain('name="password"');
    await expectNoSession(a.browser);
  });
});

describe('a disabled account', () => {
  it('tells a disabled federated user, once their organisation signed them in, that the account is disabled; nothing is signed in', async () => {
    const off = await server.plugin.directory.importSeed({ userPrincipalName: 'off@fabrikam.test', displayName: 'Off', userType: 'Member', roles: [], groups: [], accountEnabled: false });
    upstream.account = { email: 'off@fabrikam.test', amr: ['pwd'] };
    try {
      const flow = await federatedSignIn('off@fabrikam.test');
      expect(flow.callback).toBeUndefined();
      expect(flow.back.res.status).toBe(403);
      expect(text(flow.back.html)).toContain('Your account is disabled. Contact your help desk.');
      await expectNoSession(flow.browser);
      const [latest] = (await server.plugin.audit.querySignIns({ filter: `userId eq '${off.id}'`, top: 1 })).value;
      expect(latest).toMatchObject({ authenticationMethodsUsed: ['Federated identity provider'], status: { errorCode: 50057, failureReason: 'UserDisabled' } });
    } finally {
      upstream.account = { email: 'fed@fabrikam.test', amr: ['pwd', 'mfa'] };
    }
  });
});
