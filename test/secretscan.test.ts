import * as client from 'openid-client';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import { dumpRedis } from './support/dumpRedis.js';
import { Browser, formAction } from './support/Browser.js';
import { launchChromium, PasskeyPage } from './support/chromium.js';
import { appToken, apiClient, graph } from './support/graph.js';
import { redeem, refreshError, signIn, signInWithPassword, startAuthorization, submitIdentifier } from './support/rp.js';
import { TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';
import { byTest } from './support/byTest.js';

/*
 * Issue #6, part 5: run the product's main flows in one deployment while recording every HTTP response (status,
 * headers, body) any client of the test saw, and the server's log; then read every key of Redis. Each passcode
 * issued must appear in exactly one place: the response that created it. And the log holds no cookie value, no
 * token and no authorization code.
 */

const SECRET = 'scan-app-secret-0123456789-0123456789';
const ALL = ['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod', 'User.ReadWrite.All', 'AuditLog.Read.All'];
const PASSWORD = 'correct horse battery staple';

interface Captured {
  method: string;
  url: string;
  status: number;
  /** Every header, Set-Cookie included, then the body. */
  text: string;
}
const captured: Captured[] = [];
const realFetch = globalThis.fetch;

// Every client of the test (the cookie Browser, openid-client, the admin API helper) uses the global fetch.
beforeAll(() => {
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await realFetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
    captured.push({ method, url, status: res.status, text: `${headers}\n\n${await res.clone().text()}` });
    return res;
  };
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

let server: TestServer;
let rp: client.Configuration;
let chromium: Chromium | undefined;
useDeployment(
  {
    // WebAuthn needs a host name as its RP ID.
    host: 'localhost',
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, apiClient('scan-admin', SECRET, ALL)],
        users: [...TEST_USERS, { userPrincipalName: 'newhire@contoso.com', displayName: 'New Hire' }, { userPrincipalName: 'victim@contoso.com', displayName: 'Victim' }],
      }),
  },
  (d) => ({ server, rp } = d),
);
afterAll(async () => {
  await chromium?.close();
});

describe('a passcode is shown once, in the response that created it, and nowhere else', () => {
  it('after the main flows: only in its creation response; not in Redis, the log or any other response', async () => {
    /** Passcode → where it may appear: the index of its creation response, or -1 when issued without HTTP. */
    const issued = new Map<string, number>();
    const adminToken = await appToken(server.url, 'scan-admin', SECRET, ALL.join(' '));
    const api = (method: string, path: string, body?: unknown) => graph(server.url, adminToken, method, path, body);
    const user = async (upn: string) => (await server.plugin.directory.findByUpn(upn))!;
    const tapsOf = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;

    /** Issue through the admin API: the 201 is the one response allowed to carry the passcode. */
    async function apiTap(upn: string, body: Record<string, unknown> = {}): Promise<string> {
      const r = await api('POST', tapsOf(upn), { lifetimeInMinutes: 60, ...body });
      expect(r.status).toBe(201);
      const passcode = String(r.body.temporaryAccessPass);
      const at = captured.findLastIndex((c) => c.method === 'POST' && c.url.endsWith(tapsOf(upn)) && c.status === 201);
      expect(captured[at]!.text).toContain(passcode);
      issued.set(passcode, at);
      return passcode;
    }

    // 1. TAP sign-in with a multi-use TAP, registration skipped; tokens, refresh, introspection, userinfo.
    const jdoe = await apiTap('jdoe@contoso.com', { isUsableOnce: false });
    const flow = await signIn(rp, 'jdoe@contoso.com', { tap: jdoe });
    const tokens = await redeem(rp, flow);
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    expect((await client.tokenIntrospection(rp, refreshed.access_token)).active).toBe(true);
    await client.fetchUserInfo(rp, refreshed.access_token, tokens.claims()!.sub);
    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    // prompt=none single sign-on in the same browser.
    await startAuthorization(rp, { prompt: 'none' }, flow.browser);

    // 2. Wrong passcodes: another user's passcode, a near miss, an empty one.
    await signIn(rp, 'jdoe@contoso.com', { tap: `${jdoe.slice(0, -1)}Z` });
    await signIn(rp, 'jdoe@contoso.com', { tap: '' });

    // 3. A one-time TAP: signed in, the registration page (no skip), used a second time, then replaced.
    const once = await apiTap('int@contoso.com', { isUsableOnce: true });
    const first = await signIn(rp, 'int@contoso.com', { tap: once });
    expect(first.registration?.html).toContain('Register a passkey');
    await first.browser.follow(first.registration!.url);
    await signIn(rp, 'int@contoso.com', { tap: once });
    await signIn(rp, 'jdoe@contoso.com', { tap: once }); // typed at the wrong account
    await apiTap('int@contoso.com', { isUsableOnce: true });

    // 4. Guessing: 10 wrong guesses (the last five told to wait), the right passcode refused while waiting,
    // then the TAP locked outright and unlocked through the API.
    const victim = await apiTap('victim@contoso.com');
    const guess = await startAuthorization(rp);
    const step = await submitIdentifier(guess, 'victim@contoso.com');
    const action = formAction(step.html, step.url);
    for (let i = 0; i < 10; i++) await guess.browser.submit(action, { username: 'victim@contoso.com', tap: `WRONG${i}XYZ` });
    expect((await server.plugin.taps.get(await user('victim@contoso.com')))!['oidcTap.failureCount']).toBe(5);
    await guess.browser.submit(action, { username: 'victim@contoso.com', tap: victim });
    const victimUser = await user('victim@contoso.com');
    for (let n = 0; n < 10; n++) for (let i = 0; i < 5; i++) await server.plugin.taps.verify(victimUser, 'victim@contoso.com', `WRONG${i}XYZ`, `10.${n}.0.1`);
    expect((await server.plugin.taps.get(victimUser))!.methodUsabilityReason).toBe('LockedOut');
    const victimTaps = await api('GET', tapsOf('victim@contoso.com'));
    await api('POST', `${tapsOf('victim@contoso.com')}/${String(victimTaps.body.value![0]!.id)}/unlock`);
    await apiTap('victim@contoso.com');
    // One more guess at the new TAP, so that Redis holds a failure record for the scan; one at a name without a TAP.
    await guess.browser.submit(action, { username: 'victim@contoso.com', tap: 'WRONGAFTERUNLOCK' });
    await guess.browser.submit(action, { username: 'nobody@contoso.com', tap: victim });

    // 5. Password sign-in, and the security-info page signed in with a password and with a TAP (HTTP level).
    const pw = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD);
    await redeem(rp, pw);
    const patTap = await apiTap('pat@contoso.com');
    const info = new Browser();
    const start = await info.follow(`${server.url}/account/security-info`);
    const infoStep = await info.submit(formAction(start.html, start.url), { username: 'pat@contoso.com' });
    const infoPage = await info.submit(formAction(infoStep.html, infoStep.url).replace(/\/method\/[^/?#]+$/, '/method/password'), {
      username: 'pat@contoso.com',
      password: PASSWORD,
    });
    expect(infoPage.html).toContain('Temporary Access Pass');
    const viaTap = new Browser();
    const start2 = await viaTap.follow(`${server.url}/account/security-info`);
    const step2 = await viaTap.submit(formAction(start2.html, start2.url), { username: 'pat@contoso.com' });
    const registration = await viaTap.submit(formAction(step2.html, step2.url), { username: 'pat@contoso.com', tap: patTap });
    const skip = /action="([^"]+\/register\/skip)"/.exec(registration.html)![1]!;
    const page = await viaTap.submit(new URL(skip, registration.url).href, {});
    expect(page.html).toContain('<h1>Security info</h1>');
    // The user deletes their own TAP from the page (which signs them out: they signed in with it).
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)![1]!;
    const del = /action="([^"]+\/tap\/[^"]+\/delete)"/.exec(page.html)![1]!;
    await viaTap.submit(new URL(del.replaceAll('&amp;', '&'), page.url).href, { csrf });

    // 6. A new hire onboards in a real browser: TAP, passkey registration, the confirming passkey sign-in.
    const newhire = await apiTap('newhire@contoso.com', { isUsableOnce: true });
    chromium = await launchChromium();
    const pp = await PasskeyPage.open(chromium);
    const browserResponses: { url: string; text: Promise<string> }[] = [];
    pp.page.on('response', (r) => {
      browserResponses.push({
        url: r.url(),
        text: r
          .allHeaders()
          .then(async (h) => `${JSON.stringify(h)}\n\n${await r.text().catch(() => '')}`)
          .catch(() => ''),
      });
    });
    pp.page.setDefaultTimeout(8000);
    await pp.page.goto(`${server.url}/account/security-info`);
    await pp.page.getByLabel('Email or username').fill('newhire@contoso.com');
    await pp.page.getByRole('button', { name: 'Next' }).click();
    await pp.page.getByLabel('Temporary Access Pass').fill(newhire);
    await pp.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await pp.page.getByRole('button', { name: 'Register a passkey' }).click();
    await pp.page.getByRole('button', { name: 'Sign in with your passkey' }).click();
    await pp.page.getByRole('heading', { name: 'Security info', level: 1 }).waitFor();
    expect(await server.plugin.passkeys.count((await user('newhire@contoso.com')).id)).toBe(1);
    const browserCookies = await pp.context.cookies();
    expect(browserCookies.map((c) => c.name)).toContain('oidc-tap.account');
    await pp.close();

    // 7. The admin API reads: TAPs, methods, users, policy, audit logs (directory audits and sign-ins).
    for (const upn of ['jdoe@contoso.com', 'int@contoso.com', 'victim@contoso.com', 'pat@contoso.com', 'newhire@contoso.com']) {
      const list = await api('GET', tapsOf(upn));
      for (const t of list.body.value ?? []) expect(t.temporaryAccessPass).toBeNull();
      if (list.body.value?.[0]) await api('GET', `${tapsOf(upn)}/${String(list.body.value[0].id)}`);
      await api('GET', `/users/${encodeURIComponent(upn)}/authentication/methods`);
    }
    await api('GET', '/users');
    await api('GET', '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass');
    const audits = await api('GET', '/auditLogs/directoryAudits');
    expect(audits.body.value!.length).toBeGreaterThan(5);
    const signIns = await api('GET', '/auditLogs/signIns');
    expect(signIns.body.value!.length).toBeGreaterThan(10);
    // Replace and delete through the API.
    await apiTap('jdoe@contoso.com');
    const jdoeTaps = await api('GET', tapsOf('jdoe@contoso.com'));
    await api('DELETE', `${tapsOf('jdoe@contoso.com')}/${String(jdoeTaps.body.value![0]!.id)}`);

    // 8. What the CLI does: the services directly. The returned object is the passcode's one place.
    const cliTap = await server.plugin.taps.create(await user('contractor@contoso.com'), { lifetimeInMinutes: 60 }, byTest);
    issued.set(cliTap.temporaryAccessPass!, -1);
    await server.plugin.taps.get(await user('contractor@contoso.com'));
    await server.plugin.taps.verify(await user('contractor@contoso.com'), 'contractor@contoso.com', 'NOTTHEPASSCODE', '127.0.0.1');
    await server.plugin.taps.verify(await user('contractor@contoso.com'), 'contractor@contoso.com', cliTap.temporaryAccessPass!, '127.0.0.1');

    // Let fire-and-forget writes (audit, security events) land before reading everything.
    await new Promise((r) => setTimeout(r, 200));
    const chromiumTexts = await Promise.all(browserResponses.map(async (r) => ({ url: r.url, text: await r.text })));
    expect(chromiumTexts.some((r) => r.text.includes('Register a passkey'))).toBe(true);
    const redis = await dumpRedis(server.redis);
    // The scan saw every kind of record the flows write.
    expect([...redis.types].sort()).toEqual(expect.arrayContaining(['hash', 'set', 'stream', 'string']));
    for (const k of ['tap:{u:', 'fail:{u:', 'fail:{t:', 'pk:{u:', 'oidc:Session:', 'oidc:RefreshToken:', 'audit:{signins}', 'audit:{directory}']) {
      expect(redis.text, k).toContain(k);
    }
    const logs = server.logs.join('\n');
    expect(logs).toContain('tap.signin');

    expect(issued.size).toBe(9);
    for (const [passcode, at] of issued) {
      expect(passcode).toMatch(/^[A-Za-z0-9]{8}$/);
      const where = captured.flatMap((c, i) => (c.text.includes(passcode) ? [`${i}: ${c.method} ${c.url} ${c.status}`] : []));
      expect(where, `passcode issued by ${at === -1 ? 'the service' : captured[at]!.url}`).toEqual(at === -1 ? [] : [`${at}: ${captured[at]!.method} ${captured[at]!.url} 201`]);
      expect(chromiumTexts.filter((r) => r.text.includes(passcode)).map((r) => r.url), 'a page the real browser got').toEqual([]);
      expect(redis.text.includes(passcode), 'in Redis').toBe(false);
      expect(logs.includes(passcode), 'in the log').toBe(false);
    }

    // No cookie value, token or code in the log.
    const secrets = new Set<string>();
    for (const c of captured) {
      // Not the interaction cookies' values: oidc-provider makes them the interaction's uid, which is in every
      // URL of the interaction (and so in the request log); their signatures (`.sig`) are what must not leak.
      for (const m of c.text.matchAll(/^set-cookie: ([^=]+)=([^;\s]+)/gim)) if (!/^_interaction(_resume)?$/.test(m[1]!)) secrets.add(m[2]!);
      for (const m of c.text.matchAll(/"(?:access_token|refresh_token|id_token)":"([^"]+)"/g)) secrets.add(m[1]!);
      for (const m of c.url.matchAll(/[?&]code=([^&]+)/g)) secrets.add(decodeURIComponent(m[1]!));
      for (const m of c.text.matchAll(/^location: .*[?&]code=([^&\s]+)/gim)) secrets.add(decodeURIComponent(m[1]!));
    }
    for (const cookie of browserCookies) if (!/^_interaction(_resume)?$/.test(cookie.name)) secrets.add(cookie.value);
    secrets.add(adminToken);
    const meaningful = [...secrets].filter((s) => s.length >= 16);
    expect(meaningful.length).toBeGreaterThan(20);
    for (const s of meaningful) expect(logs.includes(s), `secret in the log: ${s.slice(0, 12)}…`).toBe(false);
    expect(logs).not.toMatch(/Bearer /);
  });
});
