import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as client from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config/loadConfigFile.js';
import { tapPlugin } from '../src/tapPlugin.js';
import { PSEUDO_LOCALE } from '../src/i18n/PSEUDO_LOCALE.js';
import { Browser, formAction, pageError } from './support/Browser.js';
import { launchChromium } from './support/chromium.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { signIn, signInWithPassword, startAuthorization, submitIdentifier } from './support/rp.js';
import { untranslatedText } from './support/untranslatedText.js';
import { CLIENT_ID, REDIRECT_URI, TEST_CLIENT, TEST_USERS, testConfig, testSecrets, type TestServer } from './support/testServer.js';

/**
 * Config `branding`: the organisation's name, look, help desk, language and time zone on every page; and the
 * steps that would leave a person with nothing to do (no password, no passkey, a pass that ended, a policy
 * refusal, a wait, the end of the one-time window) each say what to do next.
 */

const BRAND = 'Contoso Test';
const LOGO = 'https://cdn.contoso.test/brand/logo.svg';
const CSS = 'https://styles.contoso.test/sign-in.css';
const HELP = 'the Contoso IT help desk';
const HELP_URL = 'https://help.contoso.test/';
const PASSWORD = 'correct horse battery staple';
/** A user with a password, for the security-info page. */
const TZ_USER = 'tz@contoso.com';
const DEVICE_CLIENT = {
  client_id: 'brand-tv',
  client_secret: 'brand-tv-secret-0123456789',
  client_name: 'Brand TV',
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  response_types: [],
  redirect_uris: [],
};

/** The config file's `branding`, read from a file beside its own messages folder (`messagesDir` is relative to it). */
function brandingFromFile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-brand-'));
  mkdirSync(path.join(dir, 'messages'));
  writeFileSync(path.join(dir, 'messages', 'en.json'), JSON.stringify({ 'identifier.heading': 'Welcome to Contoso' }));
  // A language the deployment adds, and makes the default.
  writeFileSync(path.join(dir, 'messages', 'nl.json'), JSON.stringify({ 'identifier.heading': 'Welkom bij Contoso' }));
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      branding: {
        name: BRAND,
        logoUrl: LOGO,
        faviconUrl: '/assets/favicon-contoso.svg',
        colors: { primary: '#ffcc00', background: '#eef3f8' },
        colorsDark: { primary: '#1a237e' },
        helpText: HELP,
        helpUrl: HELP_URL,
        defaultLocale: 'nl',
        timeZone: 'Asia/Tokyo',
        messagesDir: 'messages',
        cssUrl: CSS,
      },
    }),
  );
  return loadConfigFile(path.join(dir, 'config.json')).branding;
}

let server: TestServer;
let SECRETS: Awaited<ReturnType<typeof testSecrets>>;
beforeAll(async () => {
  SECRETS = await testSecrets();
});
let rp: client.Configuration;
let clock: { advance(ms: number): void };
useDeployment({ host: 'localhost', config: () => testConfig({ clients: [TEST_CLIENT, DEVICE_CLIENT], users: [...TEST_USERS, { userPrincipalName: TZ_USER, displayName: 'Tim Zone', password: PASSWORD }], branding: brandingFromFile() }) }, (d) => ({ server, rp, clock } = d));

/** A browser that asks for English, so the deployment's default language (its own) is not chosen. */
const english = () => new Browser({ 'accept-language': 'en' });

type Page_ = { res: Response; html: string; url: string };

/** The page shows the brand: name, logo, icon, colours and stylesheet, in its title too; the product's name nowhere. */
function expectBranded(what: string, page: Page_) {
  expect(page.res.headers.get('content-type'), what).toMatch(/^text\/html/);
  expect(page.html, what).toMatch(/<html lang="[a-zA-Z-]+" data-time-zone="Asia\/Tokyo">/);
  expect(page.html, what).toContain(`<span class="brand-name">${BRAND}</span>`);
  expect(page.html, what).toContain(`<img class="brand-logo" src="${LOGO}" alt=""`);
  expect(page.html, what).toContain('<link rel="icon" href="/assets/favicon-contoso.svg">');
  expect(page.html, what).toContain('<link rel="stylesheet" href="/assets/brand.css">');
  expect(page.html, what).toContain(`<link rel="stylesheet" href="${CSS}">`);
  expect(/<title>([^<]*)<\/title>/.exec(page.html)?.[1], what).toContain(`· ${BRAND}`);
  expect(page.html, what).not.toMatch(/oidc-tap|brand-mark/);
  // The brand's hosts are allowed for what they serve, by origin, and nothing else of theirs.
  const csp = page.res.headers.get('content-security-policy')!;
  expect(csp, what).toContain("style-src 'self' https://styles.contoso.test;");
  expect(csp, what).toContain("img-src 'self' data: https://cdn.contoso.test;");
  expect(csp, what).not.toMatch(/unsafe-inline|sign-in\.css|logo\.svg|sha256-/);
}

/** The brand's hosts do not exist: the browser is told so at once (a slow DNS failure would hold up the pages' scripts). */
const withoutBrandHosts = (context: BrowserContext) => context.route(/^https:\/\/[^/]*contoso\.test\//, (route) => route.abort());

const helpLine = (html: string) => /<p class="help">([\s\S]*?)<\/p>/.exec(html)?.[1];

describe('a branding section', () => {
  it('changes name, logo, icon, colours and help desk on every page: sign-in steps, registration, device, security info, logout, post-logout, error and 404', async () => {
    const pages: Array<[string, Page_]> = [];
    // The sign-in: identifier, TAP step (wrong pass too), registration; a password step; a passkey step (phr).
    const user = await freshUser(server, 'brand-pages');
    const tap = await issueTap(server, user);
    const a = await startAuthorization(rp, {}, english());
    pages.push(['identifier', { ...a, res: (await a.browser.request(a.url)) }]);
    const step = await submitIdentifier(a, user.userPrincipalName);
    pages.push(['TAP step', step]);
    pages.push(['TAP step, wrong pass', await a.browser.submit(formAction(step.html, step.url), { username: user.userPrincipalName, tap: 'WRONGWRONG' })]);
    const reg = await a.browser.submit(formAction(step.html, step.url), { username: user.userPrincipalName, tap: tap.temporaryAccessPass! });
    pages.push(['register', reg]);
    const pa = await startAuthorization(rp, {}, english());
    const pw = await submitIdentifier(pa, 'pat@contoso.com');
    pages.push(['password step', pw]);
    pages.push(['password step, wrong', await pa.browser.submit(formAction(pw.html, pw.url), { username: 'pat@contoso.com', password: 'wrong' })]);
    pages.push(['passkey step', await submitIdentifier(await startAuthorization(rp, { acr_values: 'phr' }, english()), 'pat@contoso.com')]);

    // Security info, then the logout page, the post-logout page.
    const b = english();
    const start = await b.follow(`${server.url}/account/security-info`);
    const infoStep = await b.submit(formAction(start.html, start.url), { username: 'pat@contoso.com' });
    pages.push(['security info', await b.submit(formAction(infoStep.html, infoStep.url), { username: 'pat@contoso.com', password: PASSWORD })]);
    const flow = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD, {}, { browser: english() });
    const logout = await flow.browser.follow(`${server.url}/session/end`);
    pages.push(['logout', logout]);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(logout.html)![1]!;
    pages.push(['post-logout', await flow.browser.submit(formAction(logout.html, logout.url), { xsrf, logout: 'yes' })]);
    pages.push(['sign-out without a session (auto-submit)', await english().follow(`${server.url}/session/end`)]);

    // Errors a person cannot take back to the application, and a page that does not exist.
    const base = { response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
    pages.push(['unknown client', await english().follow(`${server.url}/auth?${new URLSearchParams({ ...base, client_id: 'nobody', redirect_uri: REDIRECT_URI })}`)]);
    pages.push(['wrong redirect_uri', await english().follow(`${server.url}/auth?${new URLSearchParams({ ...base, client_id: CLIENT_ID, redirect_uri: 'https://evil.example/cb' })}`)]);
    pages.push(['404', await english().follow(`${server.url}/no-such-page`, undefined, { headers: { accept: 'text/html' } })]);

    // The device pages: the code page, the relay of the complete URI, the code filled in.
    const device = await client.discovery(new URL(server.url), DEVICE_CLIENT.client_id, {}, client.ClientSecretBasic(DEVICE_CLIENT.client_secret), { execute: [client.allowInsecureRequests] });
    const response = await client.initiateDeviceAuthorization(device, { scope: 'openid' });
    const d = english();
    pages.push(['device code', await d.follow(response.verification_uri)]);
    const relay = await d.follow(response.verification_uri_complete!);
    pages.push(['device relay (auto-submit)', relay]);
    pages.push(['device code, filled in', await d.submit(formAction(relay.html, relay.url), Object.fromEntries([...relay.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!])))]);

    for (const [what, page] of pages) expectBranded(what, page);
    // The pages a person may be stuck on name the help desk.
    const helped = ['TAP step', 'TAP step, wrong pass', 'password step', 'password step, wrong', 'passkey step', 'unknown client', 'wrong redirect_uri', '404'];
    for (const [what, page] of pages.filter(([w]) => helped.includes(w))) expect(helpLine(page.html), what).toContain(`${HELP}`);
    expect(helpLine(pages.find(([w]) => w === '404')![1].html)).toBe(`Need help? Ask ${HELP}. <a href="${HELP_URL}">Contact the help desk</a>`);
    expect(pages.length).toBe(17);
  });

  it('posts a form_post authorization response with its own page: brand, language, no inline script, a Continue button to the client', async () => {
    const pseudo = new Browser({ 'accept-language': PSEUDO_LOCALE });
    const flow = await signInWithPassword(rp, 'pat@contoso.com', PASSWORD, { response_mode: 'form_post' }, { browser: pseudo });
    const page = flow.done;
    expectBranded('form_post', page);
    expect(page.html).toContain(`<html lang="${PSEUDO_LOCALE}"`);
    expect(untranslatedText(page.html, [BRAND, HELP])).toEqual([]);
    expect(page.html).toContain(`<form class="form" id="auto-submit" method="post" action="${REDIRECT_URI}">`);
    expect(page.html).toMatch(/<input type="hidden" name="code" value="[^"]+">/);
    expect(page.html).toContain(`<input type="hidden" name="state" value="${flow.state}">`);
    expect(page.html).toContain('<script src="/assets/autosubmit.js" defer></script>');
    expect(page.html).not.toMatch(/<script>|<noscript>|Submitting Callback/);
    expect(page.html).toMatch(/<button class="btn btn-primary" type="submit">[^<]+<\/button>/);
    // The post reaches the client: its origin is in form-action.
    expect(page.res.headers.get('content-security-policy')).toMatch(/form-action 'self'[^;]* http:\/\/127\.0\.0\.1:9/);
  });

  it('serves the colours as /assets/brand.css, light and dark, with text on the primary colour that reads (black on yellow, white on navy)', async () => {
    const res = await fetch(`${server.url}/assets/brand.css`);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    const css = await res.text();
    const [light, dark] = css.split('@media (prefers-color-scheme: dark)') as [string, string];
    expect(light).toContain('--primary: #ffcc00;');
    expect(light).toContain('--on-primary: #000000;');
    expect(light).toContain('--bg: #eef3f8;');
    // Yellow links would not read on a white card: they are darkened.
    expect(light).not.toContain('--link: #ffcc00;');
    expect(dark).toContain('--primary: #1a237e;');
    expect(dark).toContain('--on-primary: #ffffff;');
    // Navy links would not read on the dark card: they are lightened. The light background is not the dark one's.
    expect(dark).not.toContain('--link: #1a237e;');
    expect(dark).toContain('--bg: #0d1117;');
  });

  it('names the passkey\'s relying party after the brand (registration options)', async () => {
    const user = await freshUser(server, 'brand-rp');
    const tap = await issueTap(server, user);
    const { registration } = await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! }, {}, { browser: english(), skipRegistration: false });
    const options = JSON.parse(/data-options="([^"]+)"/.exec(registration!.html)![1]!.replaceAll('&#34;', '"').replaceAll('&quot;', '"')) as { rp: { name: string; id: string } };
    expect(options.rp).toEqual({ name: BRAND, id: 'localhost' });
  });

  it('takes messages from its messagesDir over the shipped ones, and speaks its defaultLocale when nothing else matches', async () => {
    const heading = (html: string) => /<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.trim();
    const en = await startAuthorization(rp, {}, english());
    expect(heading(en.html)).toBe('Welcome to Contoso');
    // A language it does not speak: the deployment's default, its own language from the messages folder.
    const other = await startAuthorization(rp, {}, new Browser({ 'accept-language': 'tlh' }));
    expect(/<html lang="([^"]+)"/.exec(other.html)?.[1]).toBe('nl');
    expect(heading(other.html)).toBe('Welkom bij Contoso');
    const missing = await fetch(`${server.url}/no-such-page`, { headers: { accept: 'text/html', 'accept-language': 'tlh' } });
    expect(await missing.text()).toContain('<html lang="nl"');
  });

  it('stops start-up, naming the field, for a defaultLocale the pages do not speak or a broken messages file; a host\'s branding option is checked the same way', async () => {
    const start = (config: ReturnType<typeof testConfig>, branding?: Record<string, unknown>) => () =>
      tapPlugin({ issuer: server.url, redis: server.redis, config, secrets: SECRETS, ...(branding ? { branding: branding as never } : {}) });
    expect(start(testConfig({ branding: { defaultLocale: 'tlh' } }))).toThrow(/^branding\.defaultLocale: must be one of the languages the pages speak \(de, en, es, fr, ja\)$/);
    const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-broken-'));
    writeFileSync(path.join(dir, 'en.json'), '{ "identifier.heading": "{broken" }');
    expect(start(testConfig({ branding: { messagesDir: dir } }))).toThrow(/^branding\.messagesDir: /);
    expect(start(testConfig(), { colors: { primary: 'red' } })).toThrow('branding.colors.primary: must be a CSS hex colour');
  });

  it('shows dates and times in its timeZone, on the server and in the browser, whatever the browser\'s own zone', async () => {
    const b = english();
    const start = await b.follow(`${server.url}/account/security-info`);
    const pwStep = await b.submit(formAction(start.html, start.url), { username: TZ_USER });
    const signedIn = await b.submit(formAction(pwStep.html, pwStep.url), { username: TZ_USER, password: PASSWORD });
    expect(new URL(signedIn.url).pathname).toBe('/account/security-info');
    // A TAP, so the page shows when it ends.
    await issueTap(server, TZ_USER, { lifetimeInMinutes: 60 });
    const info = await b.follow(`${server.url}/account/security-info`);
    const times = [...info.html.matchAll(/<time datetime="[^"]+">([^<]+)<\/time>/g)].map((m) => m[1]!);
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/GMT\+9/);

    const chromium = await launchChromium();
    try {
      const context = await chromium.newContext({ timezoneId: 'America/New_York', locale: 'en-US' });
      await withoutBrandHosts(context);
      await context.addCookies([...b.cookies].map(([name, value]) => ({ name, value, url: server.url })));
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      await page.goto(`${server.url}/account/security-info`);
      await page.locator('time[datetime]').first().waitFor();
      const shown = await page.locator('time[datetime]').allTextContents();
      expect(shown.length).toBe(times.length);
      for (const t of shown) expect(t).toMatch(/GMT\+9/);
      // The browser's own zone would say otherwise.
      expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York');
    } finally {
      await chromium.close();
    }
  });
});

describe('no dead ends', () => {
  /** The page with the interaction's id and the name typed taken out: what is left must not tell one account from another. */
  const normalise = (html: string, username: string) =>
    html
      .replaceAll(/\/interaction\/[A-Za-z0-9_-]+/g, '/interaction/UID')
      .replaceAll(/&#34;challenge&#34;:&#34;[A-Za-z0-9_-]+&#34;/g, 'CHALLENGE')
      .replaceAll(encodeURIComponent(username), 'NAME')
      .replaceAll(username, 'NAME');

  async function stepFor(username: string, params: Record<string, string> = {}) {
    const a = await startAuthorization(rp, params, english());
    return { ...(await submitIdentifier(a, username)), browser: a.browser };
  }

  it('the password step names the help desk, the same for an existing user, a user whose pass ended and a name nobody has', async () => {
    const expired = await freshUser(server, 'brand-expired');
    await issueTap(server, expired, { lifetimeInMinutes: 60 });
    clock.advance(61 * 60_000);
    const existing = await stepFor('pat@contoso.com');
    const ended = await stepFor(expired.userPrincipalName);
    const nobody = await stepFor('nobody-at-all@contoso.com');
    expect(helpLine(existing.html)).toBe(`No password? Ask ${HELP} for a Temporary Access Pass. <a href="${HELP_URL}">Contact the help desk</a>`);
    expect(normalise(existing.html, 'pat@contoso.com')).toBe(normalise(nobody.html, 'nobody-at-all@contoso.com'));
    expect(normalise(ended.html, expired.userPrincipalName)).toBe(normalise(nobody.html, 'nobody-at-all@contoso.com'));
  });

  it('the passkey step offers "Lost your passkey?" with the help desk; under acr_values=phr it says what a person without a passkey can do, to anyone', async () => {
    const pat = await stepFor('pat@contoso.com', { acr_values: 'phr' });
    const nobody = await stepFor('nobody-at-all@contoso.com', { acr_values: 'phr' });
    expect(pat.html).toContain('data-webauthn="authenticate"');
    expect(helpLine(pat.html)).toBe(`Lost your passkey? Ask ${HELP} for a Temporary Access Pass, sign in with it and register a new passkey. <a href="${HELP_URL}">Contact the help desk</a>`);
    expect(/<p class="hint" id="phr-explained">([^<]*)<\/p>/.exec(pat.html)?.[1]).toBe(
      `Test RP accepts only a passkey. If you don&#39;t have one on this device or a security key, ask ${HELP} for a Temporary Access Pass: with it you can register a passkey here and continue.`,
    );
    expect(normalise(pat.html, 'pat@contoso.com')).toBe(normalise(nobody.html, 'nobody-at-all@contoso.com'));
  });

  it('the TAP step names the help desk for a pass that expired or was used up; a policy refusal keeps its headline and says what happened and what to do', async () => {
    const user = await freshUser(server, 'brand-blocked');
    const tap = await issueTap(server, user, { isUsableOnce: true });
    const step = await stepFor(user.userPrincipalName);
    expect(helpLine(step.html)).toBe(`Pass expired, used up or not working? Ask ${HELP} for a new Temporary Access Pass. <a href="${HELP_URL}">Contact the help desk</a>`);
    // A wrong pass: what to do names the help desk too.
    const wrong = await step.browser.submit(formAction(step.html, step.url), { username: user.userPrincipalName, tap: 'WRONGWRONG' });
    expect(pageError(wrong.html)).toBe(`That Temporary Access Pass did not work. Check it and try again, or ask ${HELP} for a new one.`);
    // Used once in another tab (stopped at registration), then posted in this one: refused by policy.
    await signIn(rp, user.userPrincipalName, { tap: tap.temporaryAccessPass! }, {}, { browser: english() });
    const refused = await step.browser.submit(formAction(wrong.html, wrong.url), { username: user.userPrincipalName, tap: tap.temporaryAccessPass! });
    expect(pageError(refused.html)).toBe('Temporary Access Pass sign in was blocked due to User Credential Policy');
    expect(/<p class="alert-detail">([^<]*)<\/p>/.exec(refused.html)?.[1]).toBe(
      `Your organisation&#39;s sign-in policy does not let this Temporary Access Pass be used now: it may be turned off for your account, used up, or not yet valid. Ask ${HELP} for a new one.`,
    );
  });

  describe('in the browser', () => {
    let chromium: Awaited<ReturnType<typeof launchChromium>>;
    beforeAll(async () => {
      chromium = await launchChromium();
    });
    afterAll(async () => {
      await chromium?.close();
    });

    async function openTapStep(upn: string): Promise<Page> {
      const context = await chromium.newContext({ locale: 'en-US' });
      await withoutBrandHosts(context);
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      await page.clock.install();
      await page.goto((await startAuthorization(rp, { ui_locales: 'en' })).authorizationUrl);
      await page.locator('#username').fill(upn);
      await page.locator('button[type="submit"]').first().click();
      await page.locator('#tap').waitFor();
      return page;
    }

    it('throttled: the wait counts down live and the Sign in button stays disabled until it ends', async () => {
      const user = await freshUser(server, 'brand-throttle');
      await issueTap(server, user);
      const page = await openTapStep(user.userPrincipalName);
      for (let i = 1; i <= 5; i++) {
        await page.locator('#tap').fill(`WRONG${i}XYZ`);
        await Promise.all([page.waitForEvent('load'), page.locator('button[type="submit"]').first().click()]);
      }
      const error = page.locator('#error[data-retry-after]');
      await error.waitFor();
      const button = page.locator('form button[type="submit"]').first();
      expect(await button.isDisabled()).toBe(true);
      await page.clock.runFor(10_000);
      expect(await error.textContent()).toMatch(/Wait 2\d seconds before you try again\./);
      expect(await button.isDisabled()).toBe(true);
      await page.clock.runFor(21_000);
      expect(await error.textContent()).toBe('You can try again now.');
      expect(await button.isDisabled()).toBe(false);
    });

    it('one-time window: the time left is announced at milestones only, and when it is up Register a passkey is disabled', async () => {
      const user = await freshUser(server, 'brand-window');
      const tap = await issueTap(server, user, { isUsableOnce: true });
      const page = await openTapStep(user.userPrincipalName);
      await page.locator('#tap').fill(tap.temporaryAccessPass!);
      await Promise.all([page.waitForEvent('load'), page.locator('button[type="submit"]').first().click()]);
      const register = page.getByRole('button', { name: 'Register a passkey' });
      await register.waitFor();
      expect(await register.isEnabled()).toBe(true);
      const announcer = page.locator('#countdown-announcer');
      expect(await announcer.getAttribute('aria-live')).toBe('polite');
      // The visible countdown changes every second and is not a live region.
      expect(await page.locator('[data-seconds-left]').getAttribute('aria-live')).toBeNull();
      const secondsLeft = Number(await page.locator('[data-seconds-left]').getAttribute('data-seconds-left'));
      expect(secondsLeft).toBeGreaterThan(300);
      // Every change of the live region, recorded in the page while its clock runs to the end of the window.
      await page.evaluate(() => {
        const heard: string[] = [];
        (window as unknown as { heard: string[] }).heard = heard;
        const node = document.getElementById('countdown-announcer')!;
        new MutationObserver(() => heard.push(node.textContent ?? '')).observe(node, { childList: true, characterData: true, subtree: true });
      });
      await page.clock.runFor((secondsLeft + 2) * 1000);
      const heard = await page.evaluate(() => (window as unknown as { heard: string[] }).heard);
      expect(heard).toEqual([
        '5 minutes left to register your passkey.',
        '1 minute left to register your passkey.',
        '30 seconds left to register your passkey.',
        '10 seconds left to register your passkey.',
        'Time is up. Reload the page to see what to do next.',
      ]);
      expect(await register.isDisabled()).toBe(true);
    });
  });
});
