import * as client from 'openid-client';
import type { Browser as Chromium, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage } from './support/auditPage.js';
import { launchChromium, PasskeyPage, startCallbackServer, type Page } from './support/chromium.js';
import { useDeployment, type Deployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { pageShotDir } from './support/pageShotDir.js';
import { byTest } from './support/byTest.js';
import { REDIRECT_URI, TEST_CLIENT, testConfig } from './support/testServer.js';

/*
 * Every page a person sees, reached as a person reaches it in a real browser, then checked with axe-core (WCAG 2.1
 * A/AA and best practices) in light and dark, at desktop and phone width, and photographed (auditPage). A serious
 * or critical violation fails the page; the journeys go on, so one run names every page that fails.
 *
 * The language is a parameter: every journey finds its way by ids and roles' attributes, not by words, and
 * sends the language as `ui_locales` and `Accept-Language`. Adding a locale is adding it to LOCALES (or, for a
 * try, `PAGE_LOCALES=de,ja`).
 */
const LOCALES = (process.env.PAGE_LOCALES ?? 'en').split(',');

/** Every page the journeys below must reach, for each language. */
const PAGES = [
  'identifier',
  'tap',
  'register',
  'confirm-passkey',
  'passkey',
  'password',
  'password-wrong',
  'consent',
  'select-account',
  'logout',
  'post-logout',
  'register-one-time',
  'sign-in-ended',
  'tap-throttled',
  'tap-locked',
  'device-code',
  'device-code-wrong',
  'device-confirm',
  'device-consent',
  'device-done',
  'security-info',
  'confirm-delete',
  'method-deleted',
  'sign-in-expired',
  'federation-error',
  'error-unknown-client',
  'error-redirect-uri',
  'not-found',
];

const PASSWORD = 'correct horse battery staple';
/** A journey checks several pages four times each: more than the default test time on a busy machine. */
const JOURNEY_TIMEOUT_MS = 90_000;

/** The harness's relying party: a callback that answers every request with a plain page; nothing reads the code. */
let callback: Awaited<ReturnType<typeof startCallbackServer>>;
const rpClient = () => ({ ...TEST_CLIENT, client_id: 'pages-rp', redirect_uris: [callback.url], client_uri: 'https://rp.pages.test/' });
const DEVICE_CLIENT = {
  client_id: 'pages-tv',
  client_secret: 'pages-tv-secret-0123456789',
  client_name: 'Meeting Room Display',
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  response_types: [],
  redirect_uris: [],
};

// Before the deployment's own hook: its config names the callback's address.
beforeAll(async () => {
  callback = await startCallbackServer();
});
afterAll(async () => {
  await callback?.close();
});

let d: Deployment;
useDeployment(
  {
    host: 'localhost',
    // A TAP waits after one wrong try and locks after two, so the throttled and locked pages take three posts.
    config: () => testConfig({ clients: [TEST_CLIENT, rpClient(), DEVICE_CLIENT], options: { tapDelayAfterFailures: 1, tapLockAfterFailures: 2, tapLockAfterTotalFailures: 2 } }),
  },
  (x) => (d = x),
);

let chromium: Chromium;
beforeAll(async () => {
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

/** An authorization request of the harness's relying party, in `lang`. */
async function authorizationUrl(lang: string, params: Record<string, string> = {}): Promise<string> {
  return `${d.server.url}/auth?${new URLSearchParams({
    client_id: 'pages-rp',
    response_type: 'code',
    redirect_uri: callback.url,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
    state: client.randomState(),
    ui_locales: lang,
    ...params,
  })}`;
}

const callbackReached = (page: Page) => page.waitForURL((u) => u.href.startsWith(callback.url));

/** Submit the form holding `field` (after filling it) with its own submit button. */
async function submitWith(page: Page, field: string, value: string): Promise<void> {
  await page.locator(field).fill(value);
  await page.locator(`form:has(${field}) button[type="submit"]`).first().click();
}

describe.each(LOCALES)('every page in %s, light and dark, desktop and phone', (lang) => {
  const dir = pageShotDir(lang);
  const covered: string[] = [];
  const notes: string[] = [];
  const options: BrowserContextOptions = { locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1280, height: 800 } };
  let plain: BrowserContext;
  let page: Page;
  let pk: PasskeyPage;

  beforeAll(async () => {
    plain = await chromium.newContext(options);
    page = await plain.newPage();
    page.setDefaultTimeout(8000);
    pk = await PasskeyPage.open(chromium, options);
  });
  afterAll(async () => {
    await pk?.close();
    await plain?.close();
    if (notes.length) console.log(`axe, minor and moderate (${lang}, not failing):\n${notes.join('\n')}`);
  });

  /** Check and photograph what `p` shows now, as page `name`. */
  async function check(p: Page, name: string): Promise<void> {
    const audit = await auditPage(p, name, dir);
    covered.push(name);
    notes.push(...audit.notes);
    if (audit.failing.length) console.error(audit.failing.join('\n'));
    expect.soft(await p.locator('html').getAttribute('lang'), `${name}: <html lang>`).toBe(lang);
    expect.soft(audit.failing, `${name}: serious or critical axe violations`).toEqual([]);
  }

  it('a new hire: identifier, TAP, register, confirm; then a passkey sign-in and security info with a TAP listed', async () => {
    const { page: p } = pk;
    p.setDefaultTimeout(8000);
    const user = await freshUser(d.server, `pages-${lang}`);
    const tap = await issueTap(d.server, user, { lifetimeInMinutes: 60, isUsableOnce: false });
    // No presence until a button asks: the identifier page's passkey autofill must not answer by itself.
    await pk.setPresence(false);
    await p.goto(await authorizationUrl(lang));
    await p.locator('#username').waitFor();
    await check(p, 'identifier');
    await submitWith(p, '#username', user.userPrincipalName);
    await p.locator('#tap').waitFor();
    await check(p, 'tap');
    await submitWith(p, '#tap', tap.temporaryAccessPass!);
    await p.locator('[data-webauthn="register"]').waitFor();
    await check(p, 'register');
    await pk.setPresence(true);
    await p.locator('[data-webauthn="register"]').click();
    await p.locator('#passkey-form [data-webauthn="authenticate"]').waitFor();
    await check(p, 'confirm-passkey');
    await p.locator('#passkey-form [data-webauthn="authenticate"]').click();
    await callbackReached(p);

    // Later: the passkey step after the identifier.
    await pk.context.clearCookies();
    await pk.setPresence(false);
    await p.goto(await authorizationUrl(lang));
    await submitWith(p, '#username', user.userPrincipalName);
    await p.locator('#passkey-form input[name="username"]').waitFor({ state: 'attached' });
    await check(p, 'passkey');

    // Security info, opened from the app (so with a way back to it), signed in with the passkey, then a new TAP
    // from the administrator listed beside it; then the question before deleting the passkey.
    await p.goto(`${d.server.url}/account/security-info?client_id=pages-rp`);
    await submitWith(p, '#username', user.userPrincipalName);
    await pk.setPresence(true);
    await p.locator('#passkey-form [data-webauthn="authenticate"]').click();
    await p.locator('ul.methods').waitFor();
    await issueTap(d.server, user, { lifetimeInMinutes: 60, isUsableOnce: false });
    await p.reload();
    expect(await p.locator('ul.methods > li').count()).toBe(2);
    expect(await p.locator('.back-link a').getAttribute('href')).toBe('https://rp.pages.test/');
    await check(p, 'security-info');
    await p.locator('ul.methods > li').first().locator('form[method="get"] button').click();
    await p.locator('form[method="post"] input[name="csrf"]').waitFor({ state: 'attached' });
    await check(p, 'confirm-delete');
    // Deleted: the page was signed in with it, so the person is signed out and told so.
    await p.locator('form[method="post"] button[type="submit"]').click();
    await p.locator('form[method="post"]').waitFor({ state: 'detached' });
    expect(await d.server.plugin.passkeys.list(user.id)).toEqual([]);
    await check(p, 'method-deleted');
  }, JOURNEY_TIMEOUT_MS);

  it('a password user: password, consent to admin API permissions, the account picker, then sign out and the page after it', async () => {
    await plain.clearCookies();
    await page.goto(await authorizationUrl(lang, { scope: 'openid UserAuthMethod-TAP.ReadWrite.All', prompt: 'consent' }));
    await submitWith(page, '#username', 'pat@contoso.com');
    await page.locator('#password').waitFor();
    await check(page, 'password');
    await submitWith(page, '#password', 'not the password');
    await page.locator('#password[aria-invalid="true"]').waitFor();
    await check(page, 'password-wrong');
    await submitWith(page, '#password', PASSWORD);
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    await check(page, 'consent');
    await page.locator('button[name="decision"][value="allow"]').click();
    await callbackReached(page);

    // Signed in, an app asks to pick an account (prompt=select_account, as MSAL does).
    await page.goto(await authorizationUrl(lang, { prompt: 'select_account' }));
    await page.locator('button[name="account"][value="current"]').waitFor();
    await check(page, 'select-account');

    await page.goto(`${d.server.url}/session/end`);
    await page.locator('button[name="logout"][value="yes"]').waitFor();
    await check(page, 'logout');
    await page.locator('button[name="logout"][value="yes"]').click();
    await page.waitForURL(`${d.server.url}/session/end/success`);
    await check(page, 'post-logout');
  }, JOURNEY_TIMEOUT_MS);

  it('a one-time TAP: the registration window counting down, then the sign-in ended once the TAP is deleted', async () => {
    await plain.clearCookies();
    const user = await freshUser(d.server, `pages-once-${lang}`);
    const tap = await issueTap(d.server, user, { lifetimeInMinutes: 60, isUsableOnce: true });
    await page.goto(await authorizationUrl(lang));
    await submitWith(page, '#username', user.userPrincipalName);
    await submitWith(page, '#tap', tap.temporaryAccessPass!);
    await page.locator('[data-seconds-left]').waitFor();
    await check(page, 'register-one-time');
    await d.server.plugin.taps.delete(user, tap.id, byTest);
    await page.reload();
    await page.locator('h1').waitFor();
    expect(await page.locator('[data-webauthn="register"]').count()).toBe(0);
    await check(page, 'sign-in-ended');
  }, JOURNEY_TIMEOUT_MS);

  it('a mistyped TAP: the wait after a wrong try, then the TAP locked', async () => {
    await plain.clearCookies();
    const user = await freshUser(d.server, `pages-lock-${lang}`);
    await issueTap(d.server, user, { lifetimeInMinutes: 60, isUsableOnce: false });
    await page.goto(await authorizationUrl(lang));
    await submitWith(page, '#username', user.userPrincipalName);
    await submitWith(page, '#tap', 'WRONGPASS1');
    await page.locator('#error[data-retry-after]').waitFor();
    await check(page, 'tap-throttled');
    // The wait is over on the server; the page's button is still held by its own countdown, so post the form.
    d.clock.advance(3_600_000);
    await page.locator('#tap').fill('WRONGPASS2');
    await page.locator('form:has(#tap)').evaluate((f: HTMLFormElement) => f.submit());
    await page.waitForLoadState();
    await page.locator('#error:not([data-retry-after])').waitFor();
    await check(page, 'tap-locked');
  }, JOURNEY_TIMEOUT_MS);

  it('a device: entering the code, the code filled in from the link, allowing the device, and done', async () => {
    await plain.clearCookies();
    const device = await client.discovery(new URL(d.server.url), DEVICE_CLIENT.client_id, {}, client.ClientSecretBasic(DEVICE_CLIENT.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    const response = await client.initiateDeviceAuthorization(device, { scope: 'openid profile' });
    await page.goto(response.verification_uri);
    await page.locator('#user_code').waitFor();
    await check(page, 'device-code');
    await submitWith(page, '#user_code', 'BCDF-GHJK');
    await page.locator('#user_code[aria-invalid="true"]').waitFor();
    await check(page, 'device-code-wrong');
    // The complete URI (a link or QR code): oidc-provider's page posts the code, ours asks to confirm.
    await page.goto(response.verification_uri_complete!);
    await page.locator('#user_code[value]:not([value=""])').waitFor();
    await check(page, 'device-confirm');
    await page.locator('form:has(#user_code) button[type="submit"]').click();
    await submitWith(page, '#username', 'pat@contoso.com');
    await submitWith(page, '#password', PASSWORD);
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    await check(page, 'device-consent');
    await page.locator('button[name="decision"][value="allow"]').click();
    await page.locator('button[name="decision"]').waitFor({ state: 'detached' });
    await page.waitForURL((u) => u.pathname.startsWith('/device/'));
    await check(page, 'device-done');
  }, JOURNEY_TIMEOUT_MS);

  it('the error pages: the organisation unreachable, a request from no known client or to a wrong redirect URI, an unknown sign-in and an unknown address', async () => {
    await plain.clearCookies();
    // fabrikam.test's provider (test config) is at a closed port.
    await page.goto(await authorizationUrl(lang));
    await submitWith(page, '#username', 'fed@fabrikam.test');
    await page.locator('#error').waitFor();
    await check(page, 'federation-error');

    const base = { response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', ui_locales: lang };
    const unknown = await page.goto(`${d.server.url}/auth?${new URLSearchParams({ ...base, client_id: 'nobody', redirect_uri: REDIRECT_URI })}`);
    expect(unknown!.status()).toBe(400);
    await check(page, 'error-unknown-client');
    const wrong = await page.goto(`${d.server.url}/auth?${new URLSearchParams({ ...base, client_id: TEST_CLIENT.client_id, redirect_uri: 'https://evil.example/cb' })}`);
    expect(wrong!.status()).toBe(400);
    await check(page, 'error-redirect-uri');
    const expired = await page.goto(`${d.server.url}/interaction/no-such-sign-in`);
    expect(expired!.status()).toBe(400);
    await check(page, 'sign-in-expired');
    const missing = await page.goto(`${d.server.url}/no-such-page`);
    expect(missing!.status()).toBe(404);
    await check(page, 'not-found');
  }, JOURNEY_TIMEOUT_MS);

  it('reached every page', () => {
    expect([...covered].sort()).toEqual([...PAGES].sort());
  });
});
