import * as client from 'openid-client';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalogue } from '../src/i18n/Catalogue.js';
import type { Translator } from '../src/i18n/Translator.js';
import { Browser, formAction } from './support/Browser.js';
import { browserAuthorization } from './support/browserAuthorization.js';
import { launchChromium, PasskeyPage, startCallbackServer, type Page } from './support/chromium.js';
import { confirmOn } from './support/confirmOn.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { leftoverMessages } from './support/leftoverMessages.js';
import { registerOn } from './support/registerOn.js';
import { startAuthorization, submitIdentifier } from './support/rp.js';
import { SoftAuthenticator } from './support/SoftAuthenticator.js';
import { REDIRECT_URI, TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';

/**
 * The shipped languages end to end: a new hire's whole onboarding and a later passkey sign-in in a real browser,
 * in German and in Japanese, and a sign-in's `ui_locales` over the browser's `Accept-Language` on every step. The
 * words expected are looked up in the locale's catalogue, never written here; a page must hold none of the
 * English (or other language's) messages that its language says differently.
 */

let callback: Awaited<ReturnType<typeof startCallbackServer>>;
let chromium: Chromium;
let server: TestServer;
let rp: client.Configuration;
beforeAll(async () => {
  [callback, chromium] = await Promise.all([startCallbackServer(), launchChromium()]);
});
afterAll(async () => {
  await chromium?.close();
  await callback?.close();
});
useDeployment(
  { host: 'localhost', config: () => testConfig({ clients: [{ ...TEST_CLIENT, redirect_uris: [...TEST_CLIENT.redirect_uris, callback.url] }] }) },
  (d) => ({ server, rp } = d),
);

const catalogue = Catalogue.load();
const CLIENT = TEST_CLIENT.client_name;

/** An authorization request in `locale` to the callback a real browser can reach, and how to redeem its answer. */
const authorization = (locale: string) => browserAuthorization(rp, callback.url, { ui_locales: locale });

type Expected = string | [id: string, values: Record<string, string>];

/** The page is wholly in `t`'s language: `lang`, its title, the messages named, the scripts' messages, no English. */
async function expectStep(page: Page, t: Translator, step: string, title: string, expected: readonly Expected[]): Promise<void> {
  const english = catalogue.translator('en');
  expect(await page.evaluate(() => document.documentElement.lang), step).toBe(t.locale);
  expect(await page.title(), step).toContain(t.t(title));
  const shown = await page.evaluate(() => document.body.innerText);
  for (const e of expected) {
    const [id, values] = typeof e === 'string' ? [e, {}] : e;
    // Looked up in the locale's own file, and not English by fallback.
    expect(t.t(id, values), `${step}: ${id}`).not.toBe(english.t(id, values));
    expect(shown, `${step}: ${id}`).toContain(t.t(id, values));
  }
  const html = await page.content();
  expect(leftoverMessages(html, t.locale, 'en'), step).toEqual([]);
  const block = await page.evaluate(() => document.getElementById('messages')?.textContent);
  if (block) {
    for (const [id, message] of Object.entries(JSON.parse(block) as Record<string, string>)) expect(message, `${step}: ${id}`).toBe(t.source(id));
  }
}

/** A pattern for a message with its arguments as numbers: `{minutes} Min. {seconds} Sek.` → /^\d+ Min\. \d+ Sek\.$/. */
const numbersIn = (message: string) => new RegExp(`^${message.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '\\d+')}$`);

/** Where the people of each language's journey are: their browser shows times in this zone. */
const ZONE: Record<string, string> = { de: 'Europe/Berlin', ja: 'Asia/Tokyo' };
/** How the pages write a date and time (src/i18n/Catalogue.ts and public/app.js agree on it). */
const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

describe.each(['de', 'ja'])('a new hire in %s', (locale) => {
  it('signs in with a one-time TAP, registers and confirms a passkey, reaches the app, then signs in with the passkey and sees their security info, all in that language', async () => {
    const t = catalogue.translator(locale);
    const user = await freshUser(server, `onboard-${locale}`);
    const tap = await issueTap(server, user, { isUsableOnce: true });

    const first = await PasskeyPage.open(chromium);
    const page = first.page;
    const a = await authorization(locale);
    await page.goto(a.url);
    await expectStep(page, t, 'identifier', 'identifier.title', ['identifier.heading', 'identifier.username.label', 'identifier.next', ['common.toContinueTo', { client: CLIENT }]]);
    await page.getByLabel(t.t('identifier.username.label')).fill(user.userPrincipalName);
    await page.getByRole('button', { name: t.t('identifier.next') }).click();

    await page.getByLabel(t.t('tap.label')).waitFor();
    await expectStep(page, t, 'tap', 'tap.title', ['tap.heading', 'tap.hint', 'tap.label', 'common.signIn']);
    await page.getByLabel(t.t('tap.label')).fill(tap.temporaryAccessPass!);
    await page.getByRole('button', { name: t.t('common.signIn'), exact: true }).click();

    await page.getByRole('heading', { name: t.t('register.heading') }).waitFor();
    // The countdown the page's script keeps, in the language's own words.
    const countdown = page.locator('[data-seconds-left] strong');
    await expect.poll(async () => (await countdown.textContent())?.trim()).toMatch(numbersIn(t.source('client.countdown.time')));
    await expectStep(page, t, 'register', 'register.title', ['register.heading', 'register.hint', 'register.button', ['register.lead', { client: CLIENT }]]);
    await page.getByRole('button', { name: t.t('register.button') }).click();

    await page.getByRole('heading', { name: t.t('confirmPasskey.heading') }).waitFor();
    await expectStep(page, t, 'confirm', 'confirmPasskey.title', ['confirmPasskey.heading', 'confirmPasskey.hint', 'confirmPasskey.button', ['confirmPasskey.lead', { client: CLIENT }]]);
    await page.getByRole('button', { name: t.t('confirmPasskey.button') }).click();
    await page.waitForURL(`${callback.url}**`);
    expect((await a.redeem(page.url())).claims()!.sub).toBe(user.id);

    // Another browser holding the same passkey: the identifier page offers it, in the language.
    const [credential] = await first.credentials();
    const second = await PasskeyPage.open(chromium, { timezoneId: ZONE[locale]!, locale });
    try {
      await second.addCredential(credential!);
      await second.setPresence(false);
      const b = await authorization(locale);
      await second.page.goto(b.url);
      const button = second.page.getByRole('button', { name: t.t('common.signInWithPasskey') });
      await button.waitFor();
      await expectStep(second.page, t, 'passkey sign-in', 'identifier.title', ['identifier.heading', 'common.signInWithPasskey', 'identifier.or']);
      await second.setPresence(true);
      await button.click();
      await second.page.waitForURL(`${callback.url}**`);
      expect((await b.redeem(second.page.url())).claims()!.sub).toBe(user.id);

      // Security info, with a new TAP from the admin: its dates in the language and the browser's time zone.
      const again = await issueTap(server, user, { lifetimeInMinutes: 60, isUsableOnce: false });
      await second.page.goto(`${server.url}/account/security-info`);
      await second.page.getByRole('heading', { name: t.t('securityInfo.heading'), level: 1 }).waitFor();
      await expectStep(second.page, t, 'security info', 'securityInfo.title', ['securityInfo.heading', 'securityInfo.methods.heading', 'securityInfo.tap.name', 'securityInfo.passkey.deviceBound']);
      const local = (at: number) => new Intl.DateTimeFormat(locale, { ...DATE_TIME, timeZone: ZONE[locale]! }).format(at);
      const end = Date.parse(again.startDateTime) + again.lifetimeInMinutes * 60_000;
      const shown = await second.page.evaluate(() => document.body.innerText);
      expect(shown).toContain(t.t('securityInfo.tap.status.expires', { end: local(end) }));
      expect(shown).toContain(t.t('securityInfo.tap.reusableAdded', { added: local(Date.parse(again.createdDateTime)) }));
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('ui_locales over Accept-Language', () => {
  it('speaks French on every step of a sign-in asked for in French by a browser that prefers German', async () => {
    const fr = catalogue.translator('fr');
    const user = await freshUser(server, 'fr-over-de');
    const tap = await issueTap(server, user, { isUsableOnce: true });
    const steps: Array<{ step: string; page: { html: string }; heading: string }> = [];

    const a = await startAuthorization(rp, { ui_locales: 'fr' }, new Browser({ 'accept-language': 'de-DE, de;q=0.9' }));
    steps.push({ step: 'identifier', page: a, heading: 'identifier.heading' });
    const step = await submitIdentifier(a, user.userPrincipalName);
    steps.push({ step: 'tap', page: step, heading: 'tap.heading' });
    const wrong = await a.browser.submit(formAction(step.html, step.url), { username: user.userPrincipalName, tap: 'WRONGWRONG' });
    expect(wrong.html).toContain('role="alert"');
    steps.push({ step: 'tap, wrong', page: wrong, heading: 'tap.heading' });
    const reg = await a.browser.submit(formAction(wrong.html, wrong.url), { username: user.userPrincipalName, tap: tap.temporaryAccessPass! });
    expect(new URL(reg.url).pathname).toMatch(/\/register$/);
    steps.push({ step: 'register', page: reg, heading: 'register.heading' });
    const at = { ...a, reg, registerUrl: reg.url, base: reg.url.replace(/\/register$/, '') };
    const authenticator = new SoftAuthenticator(new URL(at.base).origin);
    const { page: confirm, credential } = await registerOn(at, authenticator);
    steps.push({ step: 'confirm', page: confirm, heading: 'confirmPasskey.heading' });
    const done = await confirmOn(at, authenticator, credential, confirm);
    expect(done.url.startsWith(REDIRECT_URI), done.url).toBe(true);

    for (const { step: name, page, heading } of steps) {
      expect(/<html lang="([^"]*)"/.exec(page.html)?.[1], name).toBe('fr');
      expect(/<h1>([\s\S]*?)<\/h1>/.exec(page.html)?.[1]?.trim(), name).toBe(fr.t(heading, { client: CLIENT }));
      expect(leftoverMessages(page.html, 'fr', 'de'), name).toEqual([]);
      expect(leftoverMessages(page.html, 'fr', 'en'), name).toEqual([]);
    }
    // The same page for the same browser without ui_locales is German: what the checks above would have caught.
    const german = await startAuthorization(rp, {}, new Browser({ 'accept-language': 'de-DE, de;q=0.9' }));
    expect(/<html lang="([^"]*)"/.exec(german.html)?.[1]).toBe('de');
    expect(leftoverMessages(german.html, 'fr', 'de')).not.toEqual([]);
  });
});
