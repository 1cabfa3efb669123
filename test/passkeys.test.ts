import path from 'node:path';
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PasskeyPage, startCallbackServer, type Page } from './support/chromium.js';
import { PASSKEY_UNKNOWN as PASSKEY_UNKNOWN_MESSAGE } from '../src/passkeys/PasskeyService.js';
import { english } from './support/english.js';
import { freshUser } from './support/freshUser.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { screenshotDir } from './support/screenshotDir.js';
import { startTestRedis } from './support/redis.js';
import { relyingParty } from './support/rp.js';
import { startTestServer, testConfig, type TestServer } from './support/testServer.js';
import { findUser } from './support/findUser.js';
import { signInWithTapInPage } from './support/signInWithTapInPage.js';
import { byTest } from './support/byTest.js';
import { browserAuthorization } from './support/browserAuthorization.js';

const PASSKEY_UNKNOWN = english(PASSKEY_UNKNOWN_MESSAGE);

const SHOTS = screenshotDir();

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let server: TestServer;
let rp: client.Configuration;
let chromium: Browser;
let callback: Awaited<ReturnType<typeof startCallbackServer>>;
let REDIRECT_URI: string;

beforeAll(async () => {
  redis = await startTestRedis();
  callback = await startCallbackServer();
  REDIRECT_URI = callback.url;
  const config = testConfig();
  config.clients[0]!.redirect_uris = [...(config.clients[0]!.redirect_uris ?? []), REDIRECT_URI];
  server = await startTestServer(redis.url, { host: 'localhost', config });
  rp = await relyingParty(server.url);
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await callback?.close();
  await redis?.stop();
});

/** The relying party's side of one sign-in: where to send the browser, and how to redeem what comes back. */
const authorization = (params: Record<string, string> = {}) => browserAuthorization(rp, REDIRECT_URI, params);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function registerAndConfirm(page: Page) {
  await page.getByRole('button', { name: 'Register a passkey' }).click();
  await page.getByRole('heading', { name: 'Your passkey is ready' }).waitFor();
  await page.getByRole('button', { name: 'Sign in with your passkey' }).click();
  await page.waitForURL(`${REDIRECT_URI}**`);
}

describe('passkeys: the point of a TAP', () => {
  it('takes a new hire from TAP to a registered passkey, then signs in username-less with it alone', async () => {
    const jdoe = await findUser(server, 'jdoe@contoso.com');
    const tap = await server.plugin.taps.create(jdoe, { lifetimeInMinutes: 60 }, byTest);
    const first = await PasskeyPage.open(chromium);
    const a = await authorization();
    await first.page.goto(a.url);
    await shot(first.page, 'identifier');
    await first.page.getByLabel('Email or username').fill('jdoe@contoso.com');
    await first.page.getByRole('button', { name: 'Next' }).click();
    await first.page.getByLabel('Temporary Access Pass').waitFor();
    await shot(first.page, 'tap');
    await first.page.getByLabel('Temporary Access Pass').fill(tap.temporaryAccessPass!);
    await first.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await first.page.getByRole('heading', { name: 'Register a passkey' }).waitFor();
    await shot(first.page, 'register');
    await first.page.getByRole('button', { name: 'Register a passkey' }).click();
    await first.page.getByRole('heading', { name: 'Your passkey is ready' }).waitFor();
    await shot(first.page, 'confirm');
    await first.page.getByRole('button', { name: 'Sign in with your passkey' }).click();
    await first.page.waitForURL(`${REDIRECT_URI}**`);

    const tokens = await a.redeem(first.page.url());
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(jdoe.id);
    expect(claims.acr).toBe('phr');
    expect(claims.amr).toEqual(expect.arrayContaining(['user', 'mfa']));
    expect(claims.amr).toEqual(expect.arrayContaining([expect.stringMatching(/^(hwk|swk)$/)]));
    expect(claims.amr).not.toContain('tap');
    // The session is the passkey's now: not capped by the TAP, and the TAP is gone (deleteTapAfterPasskey).
    expect(claims.exp! - claims.iat!).toBeGreaterThan(59 * 60);
    expect(await server.plugin.taps.get(jdoe)).toBeUndefined();
    const stored = await server.plugin.passkeys.list(jdoe.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.lastUsedAt).toBeGreaterThan(0);

    // Another browser, the same authenticator: username-less, the passkey alone.
    const [credential] = await first.credentials();
    expect(credential!.isResidentCredential).toBe(true);
    const second = await PasskeyPage.open(chromium);
    await second.addCredential(credential!);
    await second.setPresence(false);
    const b = await authorization();
    await second.page.goto(b.url);
    const button = second.page.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    expect(await second.page.getByLabel('Email or username').getAttribute('autocomplete')).toContain('webauthn');
    await second.setPresence(true);
    await button.click();
    await second.page.waitForURL(`${REDIRECT_URI}**`);
    const again = (await b.redeem(second.page.url())).claims()!;
    expect(again.sub).toBe(jdoe.id);
    expect(again.acr).toBe('phr');
    expect(again.amr).toEqual(claims.amr);

    // And through the identifier field's autofill (conditional mediation): the authenticator answers the
    // pending request as a person picking the passkey from the field's suggestions would.
    const third = await PasskeyPage.open(chromium);
    const [current] = await second.credentials();
    await third.addCredential(current!);
    const c = await authorization();
    await third.page.goto(c.url);
    await third.page.waitForURL(`${REDIRECT_URI}**`);
    expect((await c.redeem(third.page.url())).claims()!.sub).toBe(jdoe.id);

    // The first copy's signature counter is behind the server's: a cloned authenticator, refused.
    const clone = await PasskeyPage.open(chromium);
    await clone.addCredential(credential!);
    await clone.page.goto((await authorization()).url);
    await clone.page.locator('#error').waitFor();
    expect(await clone.page.locator('#error').textContent()).toContain('That passkey could not be verified');
    expect(server.logs.some((l) => l.includes('possible cloned authenticator'))).toBe(true);
    await Promise.all([first.close(), second.close(), third.close(), clone.close()]);
  });

  it('sends its passkey buttons disabled, enabled only once their script answers them: an early click is never lost', async () => {
    const p = await PasskeyPage.open(chromium);
    const user = await freshUser(server, 'pk-early');
    const tap = await server.plugin.taps.create(user, { lifetimeInMinutes: 30 }, byTest);
    // The ceremony's script held back, as on a slow network or a busy machine, from the register page on.
    let release = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    let hold = false;
    await p.page.route('**/assets/passkey.js', async (route) => {
      if (hold) await held;
      await route.continue();
    });
    await p.page.goto((await authorization()).url);
    await p.page.getByLabel('Email or username').fill(user.userPrincipalName);
    await p.page.getByRole('button', { name: 'Next' }).click();
    await p.page.getByLabel('Temporary Access Pass').fill(tap.temporaryAccessPass!);
    hold = true;
    await p.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const register = p.page.getByRole('button', { name: 'Register a passkey' });
    await p.page.getByRole('heading', { name: 'Register a passkey' }).waitFor();
    expect(await register.isDisabled()).toBe(true);
    release();
    // The click waits for the button to be enabled, and then it works.
    await register.click();
    await p.page.getByRole('heading', { name: 'Your passkey is ready' }).waitFor();
    // The script runs after the heading shows: once it has, the step's button has the focus that autofocus could
    // not give a disabled button.
    const confirm = p.page.getByRole('button', { name: 'Sign in with your passkey' });
    await expect.poll(() => confirm.isEnabled()).toBe(true);
    expect(await p.page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Sign in with your passkey');
    await confirm.click();
    await p.page.waitForURL(`${REDIRECT_URI}**`);
    await p.close();
  });

  it('offers the passkey after the identifier to a user who has one', async () => {
    const p = await PasskeyPage.open(chromium);
    const contractor = await findUser(server, 'contractor@contoso.com');
    const tap = await server.plugin.taps.create(contractor, { lifetimeInMinutes: 30 }, byTest);
    const a = await authorization();
    await p.page.goto(a.url);
    await signInWithTapInPage(p.page, 'contractor@contoso.com', tap.temporaryAccessPass!);
    await registerAndConfirm(p.page);

    await p.context.clearCookies();
    await p.setPresence(false);
    const b = await authorization();
    await p.page.goto(b.url);
    await p.page.getByLabel('Email or username').fill('contractor@contoso.com');
    await p.page.getByRole('button', { name: 'Next' }).click();
    await p.page.getByRole('heading', { name: 'Sign in with a passkey' }).waitFor();
    // A username-less prompt: the page names none of the user's credentials, yet the user's passkey answers it.
    const credentialIds = (await server.plugin.passkeys.list(contractor.id)).map((k) => k.id);
    expect(credentialIds.length).toBeGreaterThan(0);
    const html = await p.page.content();
    for (const id of credentialIds) expect(html).not.toContain(id);
    await p.setPresence(true);
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await p.page.waitForURL(`${REDIRECT_URI}**`);
    expect((await b.redeem(p.page.url())).claims()!.sub).toBe(contractor.id);
    await p.close();
  });

  it("refuses another account's passkey at a named user's passkey step, as it refuses an unregistered one", async () => {
    const p = await PasskeyPage.open(chromium);
    // The browser holds a passkey of `owner`; `named` has passkeys of their own (elsewhere).
    const owner = await freshUser(server, 'pk-owner');
    const named = await freshUser(server, 'pk-named');
    await seedPasskey(server.redis, named.id);
    const tap = await server.plugin.taps.create(owner, { lifetimeInMinutes: 30 }, byTest);
    await p.page.goto((await authorization()).url);
    await signInWithTapInPage(p.page, owner.userPrincipalName, tap.temporaryAccessPass!);
    await registerAndConfirm(p.page);

    await p.context.clearCookies();
    await p.setPresence(false);
    const b = await authorization();
    await p.page.goto(b.url);
    await p.page.getByLabel('Email or username').fill(named.userPrincipalName);
    await p.page.getByRole('button', { name: 'Next' }).click();
    await p.page.getByRole('heading', { name: 'Sign in with a passkey' }).waitFor();
    await p.setPresence(true);
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    const alert = p.page.locator('#error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(PASSKEY_UNKNOWN);
    expect(p.page.url().startsWith(REDIRECT_URI)).toBe(false);
    await p.close();
  });

  it('recovers a user who lost their passkey: new TAP, new passkey, old one deleted on security info and refused', async () => {
    await server.plugin.directory.importSeed({ userPrincipalName: 'rita@contoso.com', displayName: 'Rita Recovery', userType: 'Member', roles: [], groups: [] });
    const rita = await findUser(server, 'rita@contoso.com');
    const p = await PasskeyPage.open(chromium);
    const first = await server.plugin.taps.create(rita, { lifetimeInMinutes: 60 }, byTest);
    const a = await authorization();
    await p.page.goto(a.url);
    await signInWithTapInPage(p.page, 'rita@contoso.com', first.temporaryAccessPass!);
    await registerAndConfirm(p.page);
    const [lost] = await p.credentials();

    // The phone is gone: its authenticator and credential with it. A new device, and a new TAP from the admin.
    await p.removeAuthenticator();
    await p.addAuthenticator();
    await p.context.clearCookies();
    const second = await server.plugin.taps.create(rita, { lifetimeInMinutes: 60, isUsableOnce: true }, byTest);
    const b = await authorization();
    await p.page.goto(b.url);
    await signInWithTapInPage(p.page, 'rita@contoso.com', second.temporaryAccessPass!);
    await registerAndConfirm(p.page);
    expect((await b.redeem(p.page.url())).claims()!.acr).toBe('phr');
    const [oldKey, newKey] = await server.plugin.passkeys.list(rita.id);
    expect(oldKey!.id).toBe(lost!.credentialId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));

    // Security info, signed in through the same provider (single sign-on with the new passkey's session).
    await p.page.goto(`${server.url}/account/security-info`);
    await p.page.getByRole('heading', { name: 'Security info' }).waitFor();
    // Delete, then the same button on the question that follows.
    await p.page.getByRole('button', { name: `Delete ${oldKey!.name}`, exact: true }).click();
    await p.page.getByRole('heading', { level: 1, name: `Delete “${oldKey!.name}”?` }).waitFor();
    await p.page.getByRole('button', { name: `Delete ${oldKey!.name}`, exact: true }).click();
    await p.page.getByText('The passkey was deleted').waitFor();
    expect((await server.plugin.passkeys.list(rita.id)).map((k) => k.id)).toEqual([newKey!.id]);

    // The lost credential, wherever it turns up again, no longer signs in.
    const finder = await PasskeyPage.open(chromium);
    await finder.addCredential(lost!);
    await finder.page.goto((await authorization()).url);
    await finder.page.locator('#error').waitFor();
    expect(await finder.page.locator('#error').textContent()).toContain('That passkey is not registered for an account here');
    await Promise.all([p.close(), finder.close()]);
  });

  it('refuses registration once the 10 minutes after a one-time TAP sign-in have passed, and says why', async () => {
    const intGuest = await findUser(server, 'int@contoso.com');
    const tap = await server.plugin.taps.create(intGuest, { lifetimeInMinutes: 60, isUsableOnce: true }, byTest);
    const p = await PasskeyPage.open(chromium);
    const a = await authorization();
    await p.page.goto(a.url);
    await signInWithTapInPage(p.page, 'int@contoso.com', tap.temporaryAccessPass!);
    // A one-time TAP: the time left is shown and there is no way to skip.
    await p.page.getByText(/You have (9|10) min/).waitFor();
    expect(await p.page.getByRole('button', { name: 'Skip for now' }).count()).toBe(0);

    server.clock.advance(10 * 60_000 + 1000);
    const refused = p.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/register'));
    await p.page.getByRole('button', { name: 'Register a passkey' }).click();
    expect((await refused).status()).toBe(403);
    const alert = p.page.locator('#error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The 10 minutes to register a passkey');
    expect(await alert.textContent()).toContain('Ask your administrator for a new Temporary Access Pass');
    await p.page.getByRole('button', { name: 'Sign in again with a new pass' }).waitFor();
    await shot(p.page, 'register-window-closed');
    expect(await server.plugin.passkeys.count(intGuest.id)).toBe(0);
    // The TAP was one-time: it is spent, so there is no code for the relying party either.
    expect(p.page.url().startsWith(REDIRECT_URI)).toBe(false);

    // The way out: back to the application with access_denied.
    await p.page.getByRole('button', { name: 'Cancel and return to the application' }).click();
    await p.page.waitForURL(`${REDIRECT_URI}**`);
    expect(new URL(p.page.url()).searchParams.get('error')).toBe('access_denied');
    server.clock.offsetMs = 0;
    await p.close();
  });

  it('with acr_values=phr leads a TAP-only user to passkey registration, never to a code without a passkey', async () => {
    const fed = await findUser(server, 'fed@fabrikam.test');
    const tap = await server.plugin.taps.create(fed, { lifetimeInMinutes: 60 }, byTest);
    const p = await PasskeyPage.open(chromium);
    const a = await authorization({ acr_values: 'phr' });
    await p.page.goto(a.url);
    await signInWithTapInPage(p.page, 'fed@fabrikam.test', tap.temporaryAccessPass!);
    // Multi-use TAP, yet no skipping: the client demands a passkey.
    expect(await p.page.getByRole('button', { name: 'Skip for now' }).count()).toBe(0);
    const skip = await p.page.request.post(p.page.url().replace(/\/register$/, '/register/skip'), { form: {}, maxRedirects: 0 });
    expect(skip.status()).toBe(403);
    expect(await skip.text()).toContain('Register a passkey to continue');
    await registerAndConfirm(p.page);
    const claims = (await a.redeem(p.page.url())).claims()!;
    expect(claims.acr).toBe('phr');
    expect(claims.amr).not.toContain('tap');
    await p.close();
  });

  it('with acr_values=phr never signs in with a password, nor reuses a password session', async () => {
    const p = await PasskeyPage.open(chromium);
    // A password session first.
    const a = await authorization();
    await p.page.goto(a.url);
    await p.page.getByLabel('Email or username').fill('pat@contoso.com');
    await p.page.getByRole('button', { name: 'Next' }).click();
    await p.page.getByLabel('Password').fill('correct horse battery staple');
    await p.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.page.waitForURL(`${REDIRECT_URI}**`);
    expect((await a.redeem(p.page.url())).claims()!.acr).toBe('pwd');

    // prompt=none cannot turn it into a phishing-resistant sign-in.
    const none = await authorization({ acr_values: 'phr', prompt: 'none' });
    await p.page.goto(none.url);
    await p.page.waitForURL(`${REDIRECT_URI}**`);
    expect(new URL(p.page.url()).searchParams.get('error')).toBe('login_required');

    // Interactively, the password is not offered, and a posted one is refused.
    const phr = await authorization({ acr_values: 'phr' });
    await p.page.goto(phr.url);
    await p.page.getByLabel('Email or username').fill('pat@contoso.com');
    await p.page.getByRole('button', { name: 'Next' }).click();
    await p.page.getByRole('heading', { name: 'Sign in with a passkey' }).waitFor();
    expect(await p.page.getByLabel('Password').count()).toBe(0);
    const action = new URL(p.page.url()).pathname.replace(/\/identifier$/, '');
    const posted = await p.page.request.post(new URL(`${action}/method/password`, server.url).href, {
      form: { username: 'pat@contoso.com', password: 'correct horse battery staple' },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    expect(await posted.text()).toContain('This application requires you to sign in with a passkey.');
    await p.close();
  });

  it('refuses a passkey that is not registered here, with a readable message', async () => {
    const p = await PasskeyPage.open(chromium);
    const a = await authorization();
    // A credential made for this RP ID by a deployment that has since forgotten it.
    const jdoe = await findUser(server, 'jdoe@contoso.com');
    const tap = await server.plugin.taps.create(jdoe, { lifetimeInMinutes: 60 }, byTest);
    await p.page.goto(a.url);
    await signInWithTapInPage(p.page, 'jdoe@contoso.com', tap.temporaryAccessPass!);
    await registerAndConfirm(p.page);
    for (const pk of await server.plugin.passkeys.list(jdoe.id)) await server.plugin.passkeys.delete(jdoe, pk, byTest);

    await p.context.clearCookies();
    const b = await authorization();
    // The field's autofill offers the passkey at once; the server does not know it.
    await p.page.goto(b.url);
    const alert = p.page.locator('#error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('That passkey is not registered for an account here');
    await shot(p.page, 'passkey-error');
    expect(p.page.url().startsWith(REDIRECT_URI)).toBe(false);
    await p.close();
  });
});
