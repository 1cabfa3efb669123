import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { PSEUDO_LOCALE } from '../src/i18n/PSEUDO_LOCALE.js';
import { Browser, formAction } from './support/Browser.js';
import { launchChromium } from './support/chromium.js';
import { confirmOn } from './support/confirmOn.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { registerOn } from './support/registerOn.js';
import { startAuthorization, submitIdentifier } from './support/rp.js';
import { SoftAuthenticator } from './support/SoftAuthenticator.js';
import { TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';
import { untranslatedText } from './support/untranslatedText.js';

/**
 * The pages speak the language chosen for the person: the sign-in's `ui_locales` (kept for all its steps), else
 * the browser's `Accept-Language`, else the default. The pseudo-locale (en-XA: every catalogue message accented
 * and in ⟦ ⟧) shows any word that bypasses the catalogue.
 */

const DEVICE_CLIENT = {
  client_id: 'lang-tv',
  client_secret: 'lang-tv-secret-0123456789',
  client_name: 'Lang TV',
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  response_types: [],
  redirect_uris: [],
};

let server: TestServer;
let rp: client.Configuration;
useDeployment({ config: () => testConfig({ clients: [TEST_CLIENT, DEVICE_CLIENT] }) }, (d) => ({ server, rp } = d));

const langOf = (html: string) => /<html lang="([^"]*)"/.exec(html)?.[1];
const h1Of = (html: string) => /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.trim();
/** The values a page shows as they are: names of people, accounts and applications. */
const DATA = ['Test RP', 'Lang TV', 'Jane Doe', 'Pat Password', 'contoso.com', 'oidc-tap'];

/** Every page must be wholly in the pseudo-locale: `lang`, words, and the messages it hands its scripts. */
function expectPseudo(name: string, page: { html: string }, data: readonly string[] = []): void {
  expect(langOf(page.html), name).toBe(PSEUDO_LOCALE);
  expect(untranslatedText(page.html, [...DATA, ...data]), name).toEqual([]);
  const block = /<script type="application\/json" id="messages">([\s\S]*?)<\/script>/.exec(page.html)?.[1];
  const messages = JSON.parse(block ?? 'null') as Record<string, string>;
  expect(Object.keys(messages).length, name).toBeGreaterThan(0);
  expect(Object.entries(messages).filter(([, m]) => !m.startsWith('⟦')), name).toEqual([]);
}

describe('choosing the language', () => {
  it('speaks the ui_locales of the authorization request on every step of the sign-in, over Accept-Language', async () => {
    const user = await freshUser(server, 'lang-steps');
    const tap = await issueTap(server, user);
    const a = await startAuthorization(rp, { ui_locales: `tlh ${PSEUDO_LOCALE}` }, new Browser({ 'accept-language': 'en' }));
    expect(langOf(a.html)).toBe(PSEUDO_LOCALE);
    const step = await submitIdentifier(a, user.userPrincipalName);
    expect(langOf(step.html)).toBe(PSEUDO_LOCALE);
    const reg = await a.browser.submit(formAction(step.html, step.url), { username: user.userPrincipalName, tap: tap.temporaryAccessPass! });
    expect(new URL(reg.url).pathname).toMatch(/\/register$/);
    expect(langOf(reg.html)).toBe(PSEUDO_LOCALE);
    expect(reg.res.headers.get('content-language')).toBe(PSEUDO_LOCALE);
  });

  it('follows Accept-Language by q-value when the request names no ui_locales, from a region to its language', async () => {
    const page = async (acceptLanguage: string) => (await startAuthorization(rp, {}, new Browser({ 'accept-language': acceptLanguage }))).html;
    expect(langOf(await page(`en;q=0.5, ${PSEUDO_LOCALE};q=0.9`))).toBe(PSEUDO_LOCALE);
    expect(langOf(await page(`xx-YY, ${PSEUDO_LOCALE};q=0.8`))).toBe(PSEUDO_LOCALE);
    const regional = await page(`en-GB, ${PSEUDO_LOCALE};q=0.5`);
    expect(langOf(regional)).toBe('en');
    expect(h1Of(regional)).toBe('Sign in');
  });

  it('falls back to the default locale, English, for a language it does not speak or none at all', async () => {
    expect(langOf((await startAuthorization(rp, { ui_locales: 'tlh' }, new Browser({ 'accept-language': 'tlh, x-klingon;q=0.5' }))).html)).toBe('en');
    const res = await fetch(`${server.url}/no-such-page`, { headers: { accept: 'text/html' } });
    expect(langOf(await res.text())).toBe('en');
  });

  it('lists the languages of its pages in discovery as ui_locales_supported, without the pseudo-locale', async () => {
    const meta = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { ui_locales_supported?: string[] };
    expect(meta.ui_locales_supported).toContain('en');
    expect(meta.ui_locales_supported).not.toContain(PSEUDO_LOCALE);
  });
});

describe('every page in the pseudo-locale', () => {
  const pseudo = () => new Browser({ 'accept-language': PSEUDO_LOCALE });

  it('shows no word outside the catalogue on the sign-in steps, registration and confirmation, with and without errors', async () => {
    const user = await freshUser(server, 'lang-pages');
    const tap = await issueTap(server, user);
    const upn = user.userPrincipalName;
    const data = [upn, user.displayName];
    // ui_locales decides; the browser's own language says English, which must not leak in.
    // The admin API scopes bring the consent page at the end.
    const scope = `openid ${TEST_CLIENT.delegatedPermissions.slice(0, 2).join(' ')}`;
    const a = await startAuthorization(rp, { ui_locales: PSEUDO_LOCALE, scope }, new Browser({ 'accept-language': 'en' }));
    expectPseudo('identifier', a, data);
    expectPseudo('identifier, empty', await a.browser.submit(formAction(a.html, a.url), { username: '' }), data);
    const step = await submitIdentifier(a, upn);
    expectPseudo('TAP step', step, data);
    const wrong = await a.browser.submit(formAction(step.html, step.url), { username: upn, tap: 'WRONGWRONG' });
    expectPseudo('TAP step, wrong pass', wrong, data);

    const pw = await submitIdentifier(await startAuthorization(rp, { ui_locales: PSEUDO_LOCALE }, new Browser()), 'pat@contoso.com');
    expectPseudo('password step', pw, ['pat@contoso.com']);

    const reg = await a.browser.submit(formAction(wrong.html, wrong.url), { username: upn, tap: tap.temporaryAccessPass! });
    expectPseudo('register', reg, data);
    const s = { ...a, reg, registerUrl: reg.url, base: reg.url.replace(/\/register$/, '') };
    const authenticator = new SoftAuthenticator(new URL(s.base).origin);
    const { page: confirmPage, credential } = await registerOn(s, authenticator);
    expectPseudo('confirm passkey', confirmPage, data);
    const consent = await confirmOn(s, authenticator, credential, confirmPage);
    expect(consent.html).toContain('name="decision"');
    expectPseudo('consent', consent, [...data, ...TEST_CLIENT.delegatedPermissions]);

    // The passkey step of a user who now has one.
    const b = await startAuthorization(rp, { ui_locales: PSEUDO_LOCALE }, new Browser());
    expectPseudo('passkey step', await submitIdentifier(b, upn), data);
  });

  it('shows no word outside the catalogue on the device pages, in the language the device asked for once the code names it', async () => {
    const device = await client.discovery(new URL(server.url), DEVICE_CLIENT.client_id, {}, client.ClientSecretBasic(DEVICE_CLIENT.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    const response = await client.initiateDeviceAuthorization(device, { scope: 'openid', ui_locales: PSEUDO_LOCALE });
    const b = pseudo();
    const input = await b.follow(response.verification_uri);
    expectPseudo('device code', input);
    expectPseudo('device code, wrong', await b.submit(formAction(input.html, input.url), { ...hiddenOf(input.html), user_code: 'BCDF-GHJK' }));
    // The browser of the person says English; the device's ui_locales wins from here on.
    const en = new Browser({ 'accept-language': 'en' });
    // oidc-provider's own page posts the complete URI's code on (its auto-submitting form, not one of ours).
    const relay = await en.follow(response.verification_uri_complete!);
    const complete = await en.submit(formAction(relay.html, relay.url), hiddenOf(relay.html));
    expectPseudo('device code, filled in', complete, [response.user_code]);
    const signIn = await en.submit(formAction(complete.html, complete.url), { ...hiddenOf(complete.html), user_code: response.user_code });
    expectPseudo('device sign-in', signIn);
    const tap = await issueTap(server, 'jdoe@contoso.com');
    const step = await en.submit(formAction(signIn.html, signIn.url), { username: 'jdoe@contoso.com' });
    const next = await en.submit(formAction(step.html, step.url), { username: 'jdoe@contoso.com', tap: tap.temporaryAccessPass! });
    expectPseudo('device: after the TAP', next, ['jdoe@contoso.com']);
  });

  it('shows no word outside the catalogue on security info, logout, post-logout, error and 404 pages, by Accept-Language', async () => {
    const b = pseudo();
    const start = await b.follow(`${server.url}/account/security-info`);
    const step = await b.submit(formAction(start.html, start.url), { username: 'pat@contoso.com' });
    const info = await b.submit(formAction(step.html, step.url), { username: 'pat@contoso.com', password: 'correct horse battery staple' });
    expect(new URL(info.url).pathname).toBe('/account/security-info');
    expectPseudo('security info', info, ['pat@contoso.com']);
    // With a TAP: its kind, dates and state.
    await issueTap(server, 'pat@contoso.com', { lifetimeInMinutes: 60 });
    const withTap = await b.follow(`${server.url}/account/security-info`);
    expect(withTap.html).toContain('<time datetime=');
    expectPseudo('security info with a TAP', withTap, ['pat@contoso.com']);

    const logout = await b.follow(`${server.url}/session/end`);
    expectPseudo('logout', logout);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(logout.html)![1]!;
    const after = await b.submit(`${server.url}/session/end/confirm`, { xsrf, logout: 'yes' });
    expectPseudo('post-logout', after);

    expectPseudo('404', await b.follow(`${server.url}/no-such-page`));
    expectPseudo('security info sign-in expired', await b.follow(`${server.url}/account/callback?code=abc&state=def`));
    expectPseudo('federation answer not valid', await b.follow(`${server.url}/federation/callback?state=no-such-state`));
    expectPseudo('expired interaction', await b.follow(`${server.url}/interaction/no-such-interaction`));
    expectPseudo('provider error', await b.follow(`${server.url}/auth?client_id=no-such-client&response_type=code&scope=openid`));
    const foreign = await b.follow(`${server.url}/interaction/x/identifier`, server.url, {
      method: 'POST',
      headers: { origin: 'https://elsewhere.test', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=x',
    });
    expect(foreign.res.status).toBe(403);
    expectPseudo('foreign post', foreign);
  });

  it('shows no word outside the catalogue when the organisation’s sign-in service cannot be reached', async () => {
    const a = await startAuthorization(rp, { ui_locales: PSEUDO_LOCALE }, new Browser());
    const page = await submitIdentifier(a, 'fed@fabrikam.test');
    expect(page.res.status).toBe(503);
    expectPseudo('federation error', page, ['fed@fabrikam.test']);
  });
});

describe('the pages\' scripts', () => {
  it('count down in the page\'s language, with the messages the page gave them', async () => {
    const chromium = await launchChromium();
    try {
      const user = await freshUser(server, 'lang-script');
      const tap = await issueTap(server, user, { isUsableOnce: true });
      const page = await (await chromium.newContext()).newPage();
      page.setDefaultTimeout(8000);
      await page.clock.install();
      await page.goto((await startAuthorization(rp, { ui_locales: PSEUDO_LOCALE })).authorizationUrl);
      await page.locator('#username').fill(user.userPrincipalName);
      await page.locator('button[type="submit"]').first().click();
      await page.locator('#tap').fill(tap.temporaryAccessPass!);
      await page.locator('button[type="submit"]').first().click();
      const countdown = page.locator('[data-seconds-left]');
      await countdown.waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(PSEUDO_LOCALE);
      await page.clock.runFor(2000);
      const ticking = (await countdown.locator('strong').textContent())!;
      expect(ticking).toMatch(/^⟦\d+ ɱîñ \d+ š⟧$/);
      await page.clock.runFor(11 * 60_000);
      expect(untranslatedText(`<p>${(await countdown.textContent())!}</p>`)).toEqual([]);
      expect(await countdown.textContent()).toMatch(/^⟦.*⟧$/);
    } finally {
      await chromium.close();
    }
  });
});

/** The hidden fields of a page's form (oidc-provider's xsrf and confirm). */
function hiddenOf(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map((m) => [m[1]!, m[2]!]));
}
