import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Browser as Chromium, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_METHOD as LAST_METHOD_MESSAGE } from '../src/account/accountRouter.js';
import { english } from './support/english.js';
import { Browser, formAction } from './support/Browser.js';
import { launchChromium, PasskeyPage, type Page } from './support/chromium.js';
import { startTestRedis } from './support/redis.js';
import { screenshotDir } from './support/screenshotDir.js';
import { startTestServer, TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';
import { findUser } from './support/findUser.js';
import { issueTap } from './support/issueTap.js';
import { signInWithTapInPage } from './support/signInWithTapInPage.js';

const LAST_METHOD = english(LAST_METHOD_MESSAGE);

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let server: TestServer;
let chromium: Chromium;

const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hugo', 'ivan', 'judy', 'kim'];

beforeAll(async () => {
  redis = await startTestRedis();
  const users = [
    ...people.map((p) => ({ userPrincipalName: `${p}@contoso.com`, displayName: p[0]!.toUpperCase() + p.slice(1) })),
    { userPrincipalName: 'pat@contoso.com', displayName: 'Pat Password', password: 'correct horse battery staple' },
  ];
  // WebAuthn needs a domain as its RP ID, so the issuer is http://localhost:<port>.
  // The test RP has a home page, for the page's way back to it.
  const clients = [{ ...TEST_CLIENT, client_uri: 'https://app.contoso.test/home' }];
  server = await startTestServer(redis.url, { host: 'localhost', config: testConfig({ users, clients }) });
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await redis?.stop();
});

const pageUrl = () => `${server.url}/account/security-info`;
const passkeysOf = async (upn: string) => server.plugin.passkeys.list((await findUser(server, upn)).id);

/** From the security-info address, through the identifier and TAP steps, to the "Register a passkey" page. */
async function signInWithTap(page: Page, upn: string, passcode: string, url = pageUrl()) {
  // Fail at the step that hangs, well inside the test's own timeout.
  page.setDefaultTimeout(8000);
  await page.goto(url);
  await signInWithTapInPage(page, upn, passcode);
}

/** On the page; with `done`, after the redirect that reports that change (so never still on the page before). */
async function onSecurityInfo(page: Page, done?: string) {
  if (done) await page.waitForURL((u) => u.pathname === '/account/security-info' && u.searchParams.get('done') === done);
  await page.getByRole('heading', { name: 'Security info', level: 1 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/account/security-info');
}

/** New hire: a multi-use TAP, a first passkey registered and confirmed, then the security-info page. */
async function onboard(upn: string, opts: { browser?: BrowserContextOptions; url?: string } = {}): Promise<PasskeyPage> {
  const pp = await PasskeyPage.open(chromium, opts.browser);
  const tap = await issueTap(server, upn, { lifetimeInMinutes: 60, isUsableOnce: false });
  await signInWithTap(pp.page, upn, tap.temporaryAccessPass!, opts.url);
  await pp.page.getByRole('button', { name: 'Register a passkey' }).click();
  await pp.page.getByRole('button', { name: 'Sign in with your passkey' }).click();
  await onSecurityInfo(pp.page);
  return pp;
}

/**
 * The re-authentication round: the identifier page (prefilled), then the passkey step. Presence is held off
 * until the button, so the identifier field's autofill cannot answer first and race the test.
 */
async function signInAgainWithPasskey(pp: PasskeyPage, trigger: () => Promise<void>) {
  const { page } = pp;
  await pp.setPresence(false);
  await trigger();
  const identifier = page.getByLabel('Email or username');
  await identifier.waitFor();
  expect(await identifier.inputValue()).toMatch(/@contoso\.com$/);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Sign in with a passkey' }).waitFor();
  await pp.setPresence(true);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(/\/account\/security-info\?done=reauth$/);
  await onSecurityInfo(page);
}

/** A new sign-in to the page with the passkey the authenticator holds: identifier, then the passkey step. */
async function signInWithSpare(pp: PasskeyPage, upn: string) {
  const { page } = pp;
  await pp.setPresence(false);
  await page.goto(pageUrl());
  await page.getByLabel('Email or username').fill(upn);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Sign in with a passkey' }).waitFor();
  await pp.setPresence(true);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await onSecurityInfo(page);
}

/** The method row (li) whose name is `name`. */
const row = (page: Page, name: string) => page.locator('ul.methods > li').filter({ has: page.locator('.method-name', { hasText: new RegExp(`^${name}$`) }) });

const notice = (page: Page) => page.getByRole('status').textContent();

/** Delete a method as a person does: its Delete in the list (`within`), then the same button on the question that follows. */
async function deleteMethod(page: Page, name: string, within: Page | Locator = page) {
  await within.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /^Delete / }).waitFor();
  await page.getByRole('button', { name: `Delete ${name}`, exact: true }).click();
}
const alertText = (page: Page) => page.locator('#error').textContent();

describe('the security info page', () => {
  it('lists passkeys with their added and last-used dates, and the TAP with its expiry', async () => {
    const pp = await onboard('alice@contoso.com');
    const { page } = pp;
    // The onboarding TAP was retired once the passkey signed in; the admin issues another one.
    const tap = await issueTap(server, 'alice@contoso.com', { lifetimeInMinutes: 60, isUsableOnce: false });
    await page.reload();
    const [pk] = await passkeysOf('alice@contoso.com');
    const passkeyRow = row(page, 'Passkey');
    // Each date as <time datetime>, shown by the page's script in the browser's own time zone and language.
    const shown = async (ms: number) => {
      const iso = new Date(ms).toISOString();
      expect(await page.locator(`time[datetime="${iso}"]`).count()).toBeGreaterThan(0);
      return page.evaluate((at) => new Intl.DateTimeFormat(document.documentElement.lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(at)), iso);
    };
    await expect(passkeyRow.textContent()).resolves.toContain(`Added ${await shown(pk!.createdAt)}`);
    await expect(passkeyRow.textContent()).resolves.toContain(`Last used ${await shown(pk!.lastUsedAt!)}`);

    const end = Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000;
    const tapRow = row(page, 'Temporary Access Pass');
    await expect(tapRow.textContent()).resolves.toContain(`Added ${await shown(Date.parse(tap.createdDateTime))}`);
    await expect(tapRow.textContent()).resolves.toContain(`Expires ${await shown(end)}`);
    expect(await page.locator('.banner').count()).toBe(0);

    // Strict CSP: nothing inline.
    const html = await page.content();
    expect(html).not.toMatch(/<script>|<style>| style="| on[a-z]+="/);

    const path = join(screenshotDir(), 'security-info.png');
    const before = Date.now();
    await page.screenshot({ path, fullPage: true });
    const shot = statSync(path);
    expect(shot.size).toBeGreaterThan(1000);
    expect(shot.mtimeMs).toBeGreaterThanOrEqual(before - 1000);

    // Signed in with the passkey, deleting the TAP leaves this session alone.
    await deleteMethod(page, 'Temporary Access Pass', tapRow);
    await onSecurityInfo(page, 'tap-deleted');
    expect(await notice(page)).toContain('Temporary Access Pass was deleted');
    expect(await server.plugin.taps.get(await findUser(server, 'alice@contoso.com'))).toBeUndefined();
    await pp.close();
  });

  it('shows a banner to a user whose only way in is a TAP, and adds a passkey from the page', async () => {
    const pp = await PasskeyPage.open(chromium);
    const { page } = pp;
    const tap = await issueTap(server, 'bob@contoso.com', { lifetimeInMinutes: 60, isUsableOnce: false });
    await signInWithTap(page, 'bob@contoso.com', tap.temporaryAccessPass!);
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await onSecurityInfo(page);
    const banner = page.locator('.banner');
    await expect(banner.textContent()).resolves.toContain('Temporary Access Pass is the only way you can sign in');
    await expect(row(page, 'Temporary Access Pass').textContent()).resolves.toContain('Expires');

    await page.getByLabel('Name for the new passkey (optional)').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await onSecurityInfo(page, 'added');
    expect(await notice(page)).toContain('Your new passkey was added');
    await expect(row(page, 'Laptop').textContent()).resolves.toContain('Never used');
    expect(await banner.count()).toBe(0);
    expect((await passkeysOf('bob@contoso.com')).map((p) => p.name)).toEqual(['Laptop']);
    await pp.close();
  });

  it('renames a passkey, showing the new name as text', async () => {
    const pp = await onboard('carol@contoso.com');
    const { page } = pp;
    await page.getByLabel('New name for Passkey').fill(`Carol's <key>`);
    await page.getByRole('button', { name: 'Rename Passkey' }).click();
    await onSecurityInfo(page, 'renamed');
    expect(await notice(page)).toContain('renamed');
    expect(await row(page, `Carol's <key>`).count()).toBe(1);
    expect(await page.content()).toContain('&lt;key&gt;');
    expect((await passkeysOf('carol@contoso.com'))[0]!.name).toBe(`Carol's <key>`);
    await pp.close();
  });

  it('deletes a passkey, and refuses to delete the last method while no TAP is usable', async () => {
    const pp = await onboard('dave@contoso.com');
    const { page } = pp;
    // Recovery: the new device gets its own passkey, then the old one is removed.
    await pp.removeAuthenticator();
    await pp.addAuthenticator();
    await page.getByLabel('Name for the new passkey (optional)').fill('Spare');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await onSecurityInfo(page, 'added');
    // The old passkey is the one this page was signed in with: deleting it ends that sign-in too.
    await deleteMethod(page, 'Passkey');
    await page.getByRole('heading', { name: 'Passkey deleted' }).waitFor();
    expect(await page.textContent('body')).toMatch(/signed out\. Sign in again/);
    expect((await passkeysOf('dave@contoso.com')).map((p) => p.name)).toEqual(['Spare']);
    await signInWithSpare(pp, 'dave@contoso.com');

    const refused = page.waitForResponse((r) => r.request().method() === 'POST');
    await deleteMethod(page, 'Spare');
    expect((await refused).status()).toBe(409);
    expect(await alertText(page)).toBe(LAST_METHOD);
    expect(await page.getByRole('alert').filter({ hasText: "can't delete your only way" }).count()).toBe(1);
    expect(await passkeysOf('dave@contoso.com')).toHaveLength(1);

    // With a usable TAP there is a way back in, so the last passkey may go.
    await issueTap(server, 'dave@contoso.com', { lifetimeInMinutes: 60, isUsableOnce: false });
    await deleteMethod(page, 'Spare');
    await page.getByRole('heading', { name: 'Passkey deleted' }).waitFor();
    expect(await passkeysOf('dave@contoso.com')).toHaveLength(0);
    await pp.close();
  });

  it('deleting the TAP the user signed in with revokes that session and asks them to sign in again', async () => {
    const pp = await PasskeyPage.open(chromium);
    const { page } = pp;
    const tap = await issueTap(server, 'erin@contoso.com', { lifetimeInMinutes: 60, isUsableOnce: false });
    await signInWithTap(page, 'erin@contoso.com', tap.temporaryAccessPass!);
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await onSecurityInfo(page);
    await deleteMethod(page, 'Temporary Access Pass');
    await page.getByRole('heading', { name: 'Temporary Access Pass deleted' }).waitFor();
    expect(await page.textContent('body')).toMatch(/signed out\. Sign in again/);
    expect(await server.plugin.taps.get(await findUser(server, 'erin@contoso.com'))).toBeUndefined();

    // The provider session went with the TAP: the page now starts a new sign-in.
    await page.goto(pageUrl());
    await page.getByLabel('Email or username').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    await pp.close();
  });

  it('asks for a new sign-in after 10 minutes before adding or deleting, then lets the user repeat the change', async () => {
    const pp = await onboard('frank@contoso.com');
    const { page } = pp;
    const authRequests: URL[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/auth') authRequests.push(u);
    });
    server.clock.advance(11 * 60_000);
    await page.reload();

    // Delete: sent to sign in again, back with a notice, nothing deleted.
    await signInAgainWithPasskey(pp, () => deleteMethod(page, 'Passkey'));
    expect(authRequests.at(-1)!.searchParams.get('prompt')).toBe('login');
    expect(authRequests.at(-1)!.searchParams.get('login_hint')).toBe('frank@contoso.com');
    expect(await notice(page)).toContain('you had to sign in again');
    const [pk] = await passkeysOf('frank@contoso.com');
    expect(pk!.lastUsedAt).toBeGreaterThanOrEqual(server.clock.now() - 60_000); // a real, new sign-in

    // Add: the page offers no passkey ceremony while the sign-in is old, only the way to sign in again.
    server.clock.advance(11 * 60_000);
    await page.reload();
    expect(await page.locator('[data-webauthn="register"]').count()).toBe(0);
    const before = authRequests.length;
    await signInAgainWithPasskey(pp, () => page.getByRole('button', { name: 'Add a passkey' }).click());
    expect(authRequests.length).toBe(before + 1);
    expect(await notice(page)).toContain('you had to sign in again');
    expect(await passkeysOf('frank@contoso.com')).toHaveLength(1);
    await pp.removeAuthenticator();
    await pp.addAuthenticator();
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await onSecurityInfo(page, 'added');
    expect(await notice(page)).toContain('Your new passkey was added');
    expect(await passkeysOf('frank@contoso.com')).toHaveLength(2);
    await pp.close();
  });

  it('refuses a change without the page token or from another origin, and changes nothing', async () => {
    const pp = await onboard('gina@contoso.com');
    const { page } = pp;
    const [pk] = await passkeysOf('gina@contoso.com');
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const deleteUrl = `${server.url}/account/security-info/passkeys/${encodeURIComponent(pk!.id)}/delete`;
    const renameUrl = `${server.url}/account/security-info/passkeys/${encodeURIComponent(pk!.id)}/rename`;
    await issueTap(server, 'gina@contoso.com', { lifetimeInMinutes: 60, isUsableOnce: false }); // so that deleting the only passkey would otherwise be allowed

    const noToken = await pp.context.request.post(deleteUrl, { form: {}, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    expect(await noToken.text()).toContain('nothing was changed');
    const wrongToken = await pp.context.request.post(deleteUrl, { form: { csrf: `${csrf.slice(0, -2)}xx` }, maxRedirects: 0 });
    expect(wrongToken.status()).toBe(403);
    const foreign = await pp.context.request.post(deleteUrl, { form: { csrf }, headers: { origin: 'https://evil.example' }, maxRedirects: 0 });
    expect(foreign.status()).toBe(403);
    expect(await passkeysOf('gina@contoso.com')).toHaveLength(1);

    // The same request with the token is the page's own, and goes through.
    const ok = await pp.context.request.post(renameUrl, { form: { csrf, name: 'Phone' }, maxRedirects: 0 });
    expect(ok.status()).toBe(303);
    expect((await passkeysOf('gina@contoso.com'))[0]!.name).toBe('Phone');
    await pp.close();
  });
});

describe('deleting, times and the way back', () => {
  it('asks before deleting: one click on Delete deletes nothing, Cancel keeps the passkey, the question\'s own button deletes the TAP', async () => {
    const pp = await onboard('ivan@contoso.com');
    const { page } = pp;
    await issueTap(server, 'ivan@contoso.com', { lifetimeInMinutes: 60, isUsableOnce: false });
    await page.reload();

    await page.getByRole('button', { name: 'Delete Passkey', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Delete “Passkey”?' }).waitFor();
    expect(await passkeysOf('ivan@contoso.com')).toHaveLength(1);
    // A plain form with the page token: it works without script.
    const form = page.locator('form[method="post"]');
    expect(await form.locator('input[name="csrf"]').count()).toBe(1);
    await page.getByRole('link', { name: 'Cancel' }).click();
    await onSecurityInfo(page);
    expect(await passkeysOf('ivan@contoso.com')).toHaveLength(1);

    // The TAP too: asked first, kept until the question's own button.
    await row(page, 'Temporary Access Pass').getByRole('button', { name: 'Delete Temporary Access Pass' }).click();
    await page.getByRole('heading', { level: 1, name: 'Delete your Temporary Access Pass?' }).waitFor();
    expect(await server.plugin.taps.get(await findUser(server, 'ivan@contoso.com'))).toBeDefined();
    await page.getByRole('button', { name: 'Delete Temporary Access Pass' }).click();
    await onSecurityInfo(page, 'tap-deleted');
    expect(await server.plugin.taps.get(await findUser(server, 'ivan@contoso.com'))).toBeUndefined();
    expect(await passkeysOf('ivan@contoso.com')).toHaveLength(1);
    await pp.close();
  });

  it('shows times in the reader\'s own time zone, with UTC in the page itself for a browser without script', async () => {
    const pp = await onboard('judy@contoso.com', { browser: { timezoneId: 'Asia/Tokyo', locale: 'en-GB' } });
    const { page } = pp;
    const [pk] = await passkeysOf('judy@contoso.com');
    const added = row(page, 'Passkey').locator('time').first();
    expect(await added.getAttribute('datetime')).toBe(new Date(pk!.createdAt).toISOString());
    // Tokyo is UTC+9 all year: the hour and minute shown are those of Tokyo, and "UTC" is gone.
    const tokyo = new Date(pk!.createdAt + 9 * 3600_000);
    const hhmm = `${String(tokyo.getUTCHours()).padStart(2, '0')}:${String(tokyo.getUTCMinutes()).padStart(2, '0')}`;
    const shown = (await added.textContent())!;
    expect(shown).toContain(hhmm);
    expect(shown).toContain(String(tokyo.getUTCFullYear()));
    expect(shown).not.toContain('UTC');

    // As served (what a browser without script shows): the same moment, in UTC, said so.
    const html = await (await pp.context.request.get(pageUrl())).text();
    const served = new RegExp(`<time datetime="${new Date(pk!.createdAt).toISOString()}">([^<]+)</time>`).exec(html);
    expect(served?.[1]).toMatch(/UTC/);
    await pp.close();
  });

  it('offers the way back to the application that opened it (its client_uri), kept through the sign-in, and none for an unknown one', async () => {
    const pp = await onboard('kim@contoso.com', { url: `${pageUrl()}?client_id=${TEST_CLIENT.client_id}` });
    const { page } = pp;
    const back = page.getByRole('link', { name: 'Back to Test RP' });
    expect(await back.getAttribute('href')).toBe('https://app.contoso.test/home');
    // After a change the page is shown again from its own address: still there.
    await page.goto(pageUrl());
    expect(await back.count()).toBe(1);

    // A client that does not exist gives no link, and names no address of its own.
    await page.goto(`${pageUrl()}?client_id=nobody`);
    await onSecurityInfo(page);
    expect(await page.getByRole('link', { name: /^Back to / }).count()).toBe(0);
    await pp.close();

    // Opened without one: no link.
    const plain = await onboard('alice@contoso.com');
    expect(await plain.page.getByRole('link', { name: /^Back to / }).count()).toBe(0);
    await plain.close();
  });
});

describe('the security info sign-in', () => {
  it('signs a password user in through the provider, and ends when their sign-in sessions are revoked', async () => {
    const b = new Browser();
    const start = await b.follow(pageUrl());
    expect(start.url).toMatch(/\/interaction\//);
    const step = await b.submit(formAction(start.html, start.url), { username: 'pat@contoso.com' });
    const page = await b.submit(formAction(step.html, step.url), { username: 'pat@contoso.com', password: 'correct horse battery staple' });
    expect(page.url).toBe(pageUrl());
    expect(page.html).toContain('<h1>Security info</h1>');
    expect(page.html).toContain('Password');
    const cookie = [...b.cookies.keys()].find((k) => k === 'oidc-tap.account');
    expect(cookie).toBeDefined();

    // Still signed in on the next visit, without going to the provider.
    const again = await b.request(pageUrl());
    expect(again.status).toBe(200);

    await server.plugin.revoker.revokeAccount((await findUser(server, 'pat@contoso.com')).id);
    const after = await b.request(pageUrl());
    expect(after.status).toBe(303);
    expect(new URL(after.headers.get('location')!).pathname).toBe('/auth');
  });

  it('answers a forged or replayed callback with a readable page, not an error', async () => {
    const res = await fetch(`${server.url}/account/callback?code=abc&state=def`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('This sign-in has expired');
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
