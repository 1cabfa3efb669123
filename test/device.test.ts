import jsqr from 'jsqr';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { Browser, formAction } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { byTest } from './support/byTest.js';
import { launchChromium } from './support/chromium.js';
import { dumpRedis } from './support/dumpRedis.js';
import { confirmOn } from './support/confirmOn.js';
import { registerOn } from './support/registerOn.js';
import { SoftAuthenticator } from './support/SoftAuthenticator.js';
import { refreshError } from './support/rp.js';
import { TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';

/**
 * The device authorization grant (RFC 8628): a device without a keyboard shows a short code; the user types it
 * on another device and signs in there through the ordinary sign-in pages.
 */

const DEVICE_CLIENT = {
  client_id: 'living-room-tv',
  client_secret: 'living-room-tv-secret-0123456789',
  client_name: 'Living Room TV',
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  response_types: [],
  redirect_uris: [],
};

let server: TestServer;
let device: client.Configuration;
useDeployment(
  { config: () => testConfig({ clients: [TEST_CLIENT, DEVICE_CLIENT], options: { rateLimits: { deviceCodePerAddress: { limit: 10, windowSeconds: 60 } } } }), trustProxy: true },
  (d) => ({ server } = d),
);

async function deviceRp(): Promise<client.Configuration> {
  device ??= await client.discovery(new URL(server.url), DEVICE_CLIENT.client_id, {}, client.ClientSecretBasic(DEVICE_CLIENT.client_secret), {
    execute: [client.allowInsecureRequests],
  });
  return device;
}

/** The device's request, and a poll of the token endpoint that returns tokens or the pending error. */
async function startDevice(params: Record<string, string> = {}) {
  const rp = await deviceRp();
  const response = await client.initiateDeviceAuthorization(rp, { scope: 'openid profile offline_access', ...params });
  return { rp, response };
}

/** One poll of the token endpoint: the device's tokens, or the OAuth error it got. */
async function pollOnce(rp: client.Configuration, deviceCode: string): Promise<client.TokenEndpointResponse | string> {
  try {
    return await client.genericGrantRequest(rp, 'urn:ietf:params:oauth:grant-type:device_code', { device_code: deviceCode });
  } catch (e) {
    return (e as { error?: string }).error ?? String(e);
  }
}

/** The hidden fields of the page's form, as a browser would send them. */
function hiddenFields(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The user's side on another device: open the page and type the code; the sign-in's first page is returned. */
async function enterCode(browser: Browser, verificationUri: string, userCode: string, from?: string) {
  const headers = from ? { 'x-forwarded-for': from } : undefined;
  const page = await browser.follow(verificationUri, undefined, headers ? { headers } : {});
  expect(page.html).toMatch(/<label for="user_code">Code<\/label>/);
  expect(page.html).toMatch(/<button[^>]*type="submit"[^>]*>Continue<\/button>/);
  const identifier = await browser.follow(formAction(page.html, page.url), undefined, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(headers ?? {}) },
    body: new URLSearchParams({ ...hiddenFields(page.html), user_code: userCode }).toString(),
  });
  return identifier;
}

/** Sign in with the TAP, skipping the passkey a multi-use TAP allows to skip. */
async function signInOnIdentifier(browser: Browser, identifier: { html: string; url: string }, upn: string, passcode: string) {
  const step = await browser.submit(formAction(identifier.html, identifier.url), { username: upn });
  let done = await browser.submit(formAction(step.html, step.url), { username: upn, tap: passcode });
  const skip = /action="([^"]+\/register\/skip)"/.exec(done.html)?.[1];
  if (skip) done = await browser.submit(new URL(skip, done.url).href, {});
  return done;
}

/** Press Allow on the confirmation that names the device's app. */
async function allow(browser: Browser, page: { html: string; url: string }) {
  expect(page.html).toContain('Living Room TV');
  expect(page.html).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/);
  return browser.submit(formAction(page.html, page.url), { decision: 'allow' });
}

describe('device authorization grant', () => {
  it('signs a device in with a TAP typed on another device; its tokens end with the TAP and are revoked with it', async () => {
    const user = await freshUser(server, 'tv');
    const tap = await issueTap(server, user, { lifetimeInMinutes: 15, isUsableOnce: false });
    const tapEndSec = Date.parse(tap.startDateTime) / 1000 + 15 * 60;
    const { rp, response } = await startDevice();
    // Short codes of consonants only: nothing to confuse (0/O, 1/I/l) and no words.
    expect(response.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(response.verification_uri_complete).toContain(encodeURIComponent(response.user_code).replace('%2D', '-'));
    expect(await pollOnce(rp, response.device_code)).toBe('authorization_pending');

    const browser = new Browser();
    const identifier = await enterCode(browser, response.verification_uri, response.user_code);
    expect(identifier.url).toMatch(/\/interaction\//);
    const confirmation = await signInOnIdentifier(browser, identifier, user.userPrincipalName, tap.temporaryAccessPass!);
    // Not approved until the user allows the named app.
    expect(await pollOnce(rp, response.device_code)).toBe('authorization_pending');
    const success = await allow(browser, confirmation);
    expect(success.html).toMatch(/You can return to your device|signed in/i);

    const tokens = await pollOnce(rp, response.device_code);
    if (typeof tokens === 'string') throw new Error(`no tokens: ${tokens}`);
    const t = Date.now() / 1000;
    expect(t + tokens.expires_in!).toBeLessThanOrEqual(tapEndSec + 2);
    expect(tokens.refresh_token).toBeDefined();
    const refresh = await client.tokenIntrospection(rp, tokens.refresh_token!);
    expect(refresh.active).toBe(true);
    expect(refresh.exp!).toBeLessThanOrEqual(tapEndSec + 2);

    await server.plugin.taps.delete(user, tap.id, byTest);
    expect(await refreshError(rp, tokens.refresh_token!)).toBe('invalid_grant');
    expect((await client.tokenIntrospection(rp, tokens.access_token)).active).toBe(false);
  });

  it('refuses guessing of user codes from one address with 429; the right code still works from another address', async () => {
    const user = await freshUser(server, 'tvguess');
    const tap = await issueTap(server, user, { lifetimeInMinutes: 15, isUsableOnce: false });
    const { rp, response } = await startDevice();
    const attacker = new Browser();
    const page = await attacker.follow(response.verification_uri, undefined, { headers: { 'x-forwarded-for': '203.0.113.66' } });
      const statuses: number[] = [];
    for (let i = 0; i < 13; i++) {
      const res = await attacker.request(formAction(page.html, page.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.66' },
        body: new URLSearchParams({ ...hiddenFields(page.html), user_code: `BCDF-GH${'KLMNPQRSTVWXZ'[i]}B` }).toString(),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 400)).toBe(true);

    const browser = new Browser();
    const identifier = await enterCode(browser, response.verification_uri, response.user_code, '198.51.100.7');
    expect(identifier.url).toMatch(/\/interaction\//);
    const confirmation = await signInOnIdentifier(browser, identifier, user.userPrincipalName, tap.temporaryAccessPass!);
    await allow(browser, confirmation);
    expect(typeof (await pollOnce(rp, response.device_code))).toBe('object');
  });

  it('gives a device asking acr_values=phr no tokens from a TAP alone: the passkey must be registered first, then it is signed in with phr', async () => {
    const user = await freshUser(server, 'tvphr');
    const tap = await issueTap(server, user, { lifetimeInMinutes: 15, isUsableOnce: false });
    const { rp, response } = await startDevice({ acr_values: 'phr' });
    const browser = new Browser();
    const identifier = await enterCode(browser, response.verification_uri, response.user_code);
    const step = await browser.submit(formAction(identifier.html, identifier.url), { username: user.userPrincipalName });
    const done = await browser.submit(formAction(step.html, step.url), { username: user.userPrincipalName, tap: tap.temporaryAccessPass! });
    // Passkey registration, with no way round it.
    expect(new URL(done.url).pathname).toMatch(/\/register$/);
    expect(done.html).not.toMatch(/register\/skip/);
    expect(await pollOnce(rp, response.device_code)).toBe('authorization_pending');

    // With the passkey registered and confirmed by a sign-in with it, the device is signed in with acr phr.
    const at = { browser, reg: done, registerUrl: done.url, base: done.url.replace(/\/register$/, '') } as Parameters<typeof registerOn>[0];
    const authenticator = new SoftAuthenticator(server.url);
    const { page: confirmPage, credential } = await registerOn(at, authenticator);
    const confirmation = await confirmOn(at, authenticator, credential, confirmPage);
    await allow(browser, confirmation);
    const tokens = await pollOnce(rp, response.device_code);
    if (typeof tokens === 'string') throw new Error(`no tokens: ${tokens}`);
    expect(tokens.id_token && JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()).acr).toBe('phr');
  });

  it('signs a device in with a TAP a user types in Chromium, under the pages\' CSP (no inline script)', async () => {
    const user = await freshUser(server, 'tvchrome');
    const tap = await issueTap(server, user, { lifetimeInMinutes: 15, isUsableOnce: false });
    const tapEndSec = Date.parse(tap.startDateTime) / 1000 + 15 * 60;
    const { rp, response } = await startDevice();
    const chromium = await launchChromium();
    try {
      const page = await (await chromium.newContext()).newPage();
      page.setDefaultTimeout(8000);
      const cspViolations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await page.goto(response.verification_uri);
      await page.getByLabel('Code', { exact: true }).fill(response.user_code.toLowerCase().replace('-', ' '));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Email or username').fill(user.userPrincipalName);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Temporary Access Pass').fill(tap.temporaryAccessPass!);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: 'Skip for now' }).click();
      await page.getByRole('heading', { name: /Living Room TV/ }).waitFor();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByRole('heading', { name: 'You are signed in on your device' }).waitFor();
      expect(cspViolations).toEqual([]);
    } finally {
      await chromium.close();
    }
    // The device polls as openid-client does; only from now, and without its wait, so the test does not wait 5 s.
    const tokens = await client.pollDeviceAuthorizationGrant(rp, { ...response, interval: 0 });
    expect(Date.now() / 1000 + tokens.expires_in!).toBeLessThanOrEqual(tapEndSec + 2);
    expect(tokens.claims()?.amr).toContain('tap');
  });

  it('fills in the code of the complete verification URI (a link or QR code) and names the app, still asking to sign in and to allow', async () => {
    const user = await freshUser(server, 'tvlink');
    const tap = await issueTap(server, user, { lifetimeInMinutes: 15, isUsableOnce: false });
    const { rp, response } = await startDevice();
    const browser = new Browser();
    // oidc-provider posts the code for the person (its form_post page); the post gets our page back.
    const autoPost = await browser.follow(response.verification_uri_complete!);
    const page = await browser.submit(formAction(autoPost.html, autoPost.url), hiddenFields(autoPost.html));
    expect(page.html).toContain(`value="${response.user_code}"`);
    expect(page.html).toContain('Living Room TV');
    expect(await pollOnce(rp, response.device_code)).toBe('authorization_pending');
    const identifier = await browser.submit(formAction(page.html, page.url), { ...hiddenFields(page.html), user_code: response.user_code });
    const confirmation = await signInOnIdentifier(browser, identifier, user.userPrincipalName, tap.temporaryAccessPass!);
    await allow(browser, confirmation);
    expect(typeof (await pollOnce(rp, response.device_code))).toBe('object');
  });

  it('keeps neither the device code nor the user code in Redis, where a copy would let another device be signed in', async () => {
    const { response } = await startDevice();
    const { text } = await dumpRedis(server.redis);
    expect(text).not.toContain(response.device_code);
    expect(text).not.toContain(response.user_code.replace('-', ''));
  });

  it('refuses a wrong code with 400 and says so, without a stack trace', async () => {
    const browser = new Browser();
    const page = await browser.follow(`${server.url}/device`);
    const wrong = await browser.submit(formAction(page.html, page.url), { ...hiddenFields(page.html), user_code: 'ZZZZ-ZZZZ' });
    expect(wrong.res.status).toBe(400);
    expect(wrong.html).toContain('That code is not right');
    expect(wrong.html).not.toMatch(/at .*\.js:\d+/);
  });
  it('refuses a disabled user at the verification page once the right TAP is typed, and a device signed in before gets no more tokens', async () => {
    const user = await freshUser(server, 'tvoff');
    const tap = await issueTap(server, user, { lifetimeInMinutes: 15, isUsableOnce: false });
    const first = await startDevice();
    const browser = new Browser();
    const signedIn = await allow(browser, await signInOnIdentifier(browser, await enterCode(browser, first.response.verification_uri, first.response.user_code), user.userPrincipalName, tap.temporaryAccessPass!));
    expect(signedIn.res.status).toBe(200);
    const tokens = await pollOnce(first.rp, first.response.device_code);
    if (typeof tokens === 'string') throw new Error(`no tokens: ${tokens}`);

    expect(await server.plugin.directory.update({ ...user, accountEnabled: false }, user, byTest)).toBe(true);
    expect(await refreshError(first.rp, tokens.refresh_token!)).toBe('invalid_grant');

    // A new device, and the user (still holding the right TAP) at the verification page.
    const second = await startDevice();
    const other = new Browser();
    const refused = await signInOnIdentifier(other, await enterCode(other, second.response.verification_uri, second.response.user_code), user.userPrincipalName, tap.temporaryAccessPass!);
    expect(refused.res.status).toBe(403);
    expect(refused.html).toContain('Your account is disabled. Contact your help desk.');
    expect(await pollOnce(second.rp, second.response.device_code)).toBe('authorization_pending');
  });
  it('draws the complete verification URI as a QR code (SVG) for the code a device shows, decoded back in Chromium; nothing else', async () => {
    const { response } = await startDevice();
    const qr = await fetch(`${server.url}/device/qr?user_code=${encodeURIComponent(response.user_code)}`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(qr.headers.get('cache-control')).toBe('no-store');
    const svg = await qr.text();
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|href=/i);

    // Scanned as a phone would: drawn by a browser, read back from its pixels.
    const chromium = await launchChromium();
    let pixels: { data: number[]; width: number; height: number };
    try {
      const page = await (await chromium.newContext()).newPage();
      pixels = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = `data:image/svg+xml;base64,${btoa(src)}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 400;
        const g = canvas.getContext('2d')!;
        g.drawImage(img, 0, 0, 400, 400);
        return { data: Array.from(g.getImageData(0, 0, 400, 400).data), width: 400, height: 400 };
      }, svg);
    } finally {
      await chromium.close();
    }
    // jsqr is CommonJS: its function is the module itself, typed as the module's default export.
    const decoded = jsqr.default(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
    expect(decoded?.data).toBe(response.verification_uri_complete);

    // The same code typed in lower case or with a space draws the same URI; anything else is refused, unlooked-up.
    const typed = await fetch(`${server.url}/device/qr?user_code=${encodeURIComponent(response.user_code.toLowerCase().replace('-', ' '))}`);
    expect(await typed.text()).toBe(svg);
    for (const bad of ['', 'AAAA-AAAA', 'https://evil.example/', 'BCDF-GHJK-LMNP']) {
      const res = await fetch(`${server.url}/device/qr?user_code=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toContain('the code your device shows');
    }
  });
});
