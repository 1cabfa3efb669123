import type * as client from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Browser, pageError } from './support/Browser.js';
import { confirmOn } from './support/confirmOn.js';
import { formOptions } from './support/formOptions.js';
import { freshUser } from './support/freshUser.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { registerOn } from './support/registerOn.js';
import { redeem, startAuthorization } from './support/rp.js';
import { SoftAuthenticator, type CreationOptions, type RequestOptions } from './support/SoftAuthenticator.ts';
import { stopAtRegistration as stopAt } from './support/stopAtRegistration.js';
import { tapToPasskey } from './support/tapToPasskey.js';
import { useDeployment } from './support/deployment.js';
import { REDIRECT_URI, testConfig, type TestServer } from './support/testServer.js';

/**
 * docs/security.md, "A stolen TAP": a sign-in that stopped at passkey registration is worth nothing
 * once the TAP it began with is deleted, replaced or expired, or the user's sessions are revoked. Every step
 * after the TAP is refused, nothing reaches the relying party, and no passkey is left behind by it. And the
 * 10-minute window of a one-time TAP belongs to its sign-in: another sign-in never gives it time back.
 */

const HR = 'hr-app';
const HR_SECRET = 'hr-app-secret-0123456789';

let server: TestServer;
let rp: client.Configuration;
let hrToken: string;
useDeployment(
  {
    host: 'localhost',
    config: () =>
      testConfig({
        clients: [testConfig().clients[0], apiClient(HR, HR_SECRET, ['UserAuthMethod-TAP.ReadWrite.All', 'User.ReadWrite.All'])],
      }),
  },
  (d) => ({ server, rp } = d),
);
afterEach(() => {
  server.clock.offsetMs = 0;
});

async function hr(): Promise<string> {
  hrToken ??= await appToken(server.url, HR, HR_SECRET, 'UserAuthMethod-TAP.ReadWrite.All User.ReadWrite.All');
  return hrToken;
}

/** A sign-in stopped on "Register a passkey", as a thief holding the TAP leaves it. */
const stopAtRegistration = (upn: string, passcode: string) => stopAt(rp, upn, passcode);

type Variant = 'deleted' | 'replaced' | 'sessions revoked' | 'expired';
const VARIANTS: Variant[] = ['deleted', 'replaced', 'sessions revoked', 'expired'];

/** What an administrator (an HR app through the admin API) or time does to the TAP. */
async function endTap(variant: Variant, userId: string, tapId: string): Promise<void> {
  const token = await hr();
  if (variant === 'deleted') {
    expect((await graph(server.url, token, 'DELETE', `/users/${userId}/authentication/temporaryAccessPassMethods/${tapId}`)).status).toBe(204);
  } else if (variant === 'replaced') {
    expect((await graph(server.url, token, 'POST', `/users/${userId}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 })).status).toBe(201);
  } else if (variant === 'sessions revoked') {
    expect((await graph(server.url, token, 'POST', `/users/${userId}/revokeSignInSessions`)).status).toBe(200);
  } else {
    server.clock.advance(16 * 60_000);
  }
}

async function issue(userId: string, isUsableOnce: boolean) {
  const res = await graph(server.url, await hr(), 'POST', `/users/${userId}/authentication/temporaryAccessPassMethods`, {
    lifetimeInMinutes: 15,
    isUsableOnce,
  });
  expect(res.status).toBe(201);
  return { id: String(res.body.id), passcode: String(res.body.temporaryAccessPass) };
}

function expectNoCode(page: { url: string }) {
  expect(page.url.startsWith(REDIRECT_URI)).toBe(false);
}

describe('a sign-in stopped at passkey registration ends with the TAP it began with', () => {
  for (const once of [true, false]) {
    for (const variant of VARIANTS) {
      it(`${once ? 'one-time' : 'multi-use'} TAP ${variant} before registering: no passkey, no skip, no code`, async () => {
        const user = await freshUser(server, 'thief-reg');
        const tap = await issue(user.id, once);
        const s = await stopAtRegistration(user.userPrincipalName, tap.passcode);
        const skip = /action="([^"]+\/register\/skip)"/.exec(s.reg.html)?.[1];
        await endTap(variant, user.id, tap.id);

        const { page } = await registerOn(s, new SoftAuthenticator(server.url));
        expectNoCode(page);
        expect(page.url).not.toMatch(/\/confirm$/);
        expect(await server.plugin.passkeys.count(user.id)).toBe(0);

        if (skip) expectNoCode(await s.browser.submit(new URL(skip, s.registerUrl).href, {}));
        // Coming back to the sign-in (resume) shows no registration either.
        const resumed = await s.browser.follow(s.base);
        expect(resumed.html).not.toContain('id="register-form"');
        expectNoCode(resumed);
        expect(await server.plugin.passkeys.count(user.id)).toBe(0);
      });

      it(`${once ? 'one-time' : 'multi-use'} TAP ${variant} between registering and confirming: no code, and the unconfirmed passkey does not stay`, async () => {
        const user = await freshUser(server, 'thief-conf');
        const tap = await issue(user.id, once);
        const s = await stopAtRegistration(user.userPrincipalName, tap.passcode);
        const authenticator = new SoftAuthenticator(server.url);
        const { page: confirmPage, credential } = await registerOn(s, authenticator);
        expect(confirmPage.url).toMatch(/\/confirm$/);
        // Not the user's yet: a passkey is kept only once a sign-in with it confirms it, while the TAP still counts.
        expect(await server.plugin.passkeys.count(user.id)).toBe(0);
        await endTap(variant, user.id, tap.id);

        const done = await confirmOn(s, authenticator, credential, confirmPage);
        expectNoCode(done);
        expect(done.html).toContain('Temporary Access Pass');
        expect(await server.plugin.passkeys.count(user.id)).toBe(0);

        // Nor can the passkey sign in later on its own, username-less.
        const later = await startAuthorization(rp, {}, new Browser());
        const assertion = authenticator.get(formOptions<RequestOptions>(later.html, 'passkey-form'), credential);
        const attempt = await later.browser.submit(`${later.url}/method/passkey`, { response: assertion });
        expectNoCode(attempt);
      });
    }
  }

  it('still finishes a sign-in whose TAP is untouched: register, confirm, code (the control)', async () => {
    const user = await freshUser(server, 'owner');
    const tap = await issue(user.id, true);
    const s = await tapToPasskey(rp, user.userPrincipalName, tap.passcode);
    const done = s.done;
    expect(done.url.startsWith(REDIRECT_URI)).toBe(true);
    const tokens = await redeem(rp, { ...s, callback: done.url });
    expect(tokens.claims()!.acr).toBe('phr');
    expect(await server.plugin.passkeys.count(user.id)).toBe(1);
  });

  it('confirming races the TAP being deleted: the passkey is kept and a code issued together, or neither, round after round', async () => {
    for (let round = 0; round < 6; round++) {
      const user = await freshUser(server, 'race-confirm');
      const tap = await issue(user.id, round % 2 === 0);
      const s = await stopAtRegistration(user.userPrincipalName, tap.passcode);
      const authenticator = new SoftAuthenticator(server.url);
      const { page: confirmPage, credential } = await registerOn(s, authenticator);
      const [done] = await Promise.all([
        confirmOn(s, authenticator, credential, confirmPage),
        graph(server.url, await hr(), 'DELETE', `/users/${user.id}/authentication/temporaryAccessPassMethods/${tap.id}`),
      ]);
      const coded = done.url.startsWith(REDIRECT_URI);
      expect(await server.plugin.passkeys.count(user.id)).toBe(coded ? 1 : 0);
      expect(await server.plugin.taps.get(user)).toBeUndefined();
    }
  });

  it('deleting the user ends their sign-in under way', async () => {
    const user = await freshUser(server, 'leaver');
    const tap = await issue(user.id, false);
    const s = await stopAtRegistration(user.userPrincipalName, tap.passcode);
    expect((await graph(server.url, await hr(), 'DELETE', `/users/${user.id}`)).status).toBe(204);
    const { page } = await registerOn(s, new SoftAuthenticator(server.url));
    expectNoCode(page);
    expect(page.url).not.toMatch(/\/confirm$/);
    expect(await server.plugin.passkeys.count(user.id)).toBe(0);
  });

  it('tells the person what happened and how to go on, instead of a dead end', async () => {
    const user = await freshUser(server, 'told');
    const tap = await issue(user.id, true);
    const s = await stopAtRegistration(user.userPrincipalName, tap.passcode);
    await endTap('deleted', user.id, tap.id);
    const page = await s.browser.follow(s.registerUrl);
    expect(page.res.status).toBe(403);
    expect(pageError(page.html) ?? page.html).toMatch(/Temporary Access Pass.*(deleted|replaced|ended)/);
    expect(page.html).toMatch(/href="[^"]*\/interaction\/[^"]+"/);
  });
});

describe('the one-time registration window belongs to its sign-in', () => {
  it('a sign-in whose 10 minutes ran out gets no time back from a later sign-in of the same user', async () => {
    const user = await freshUser(server, 'window');
    const first = await issue(user.id, true);
    const a = await stopAtRegistration(user.userPrincipalName, first.passcode);
    server.clock.advance(11 * 60_000);
    const closed = await a.browser.follow(a.registerUrl);
    expect(closed.res.status).toBe(403);
    expect(closed.html).not.toContain('id="register-form"');

    // The same user signs in again elsewhere with a new one-time TAP (a multi-use TAP would do the same).
    const second = await issue(user.id, true);
    const b = await stopAtRegistration(user.userPrincipalName, second.passcode);
    expect(b.reg.html).toMatch(/data-seconds-left="(59\d|600)"/);

    // The first sign-in stays closed: its window did not reopen, and it cannot register.
    const again = await a.browser.follow(a.registerUrl);
    expect(again.html).not.toContain('id="register-form"');
    const forged = new SoftAuthenticator(server.url).create(formOptions<CreationOptions>(b.reg.html, 'register-form'));
    const post = await a.browser.submit(a.registerUrl, { response: forged.response });
    expectNoCode(post);
    expect(post.url).not.toMatch(/\/confirm$/);
  });
});
