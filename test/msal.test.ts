import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphResource } from '../src/provider/graphResource.js';
import { Browser, formAction } from './support/Browser.js';
import { byTest } from './support/byTest.js';
import { graph } from './support/graph.js';
import { signInWithTapFrom } from './support/signInWithTapFrom.js';
import { startTestRedis } from './support/redis.js';
import { startTlsTerminator, type TlsTerminator } from './support/startTlsTerminator.js';
import { startProxiedServer, testConfig, TestClock } from './support/testServer.js';

/**
 * Microsoft's MSAL Node as an app written for Entra ID uses it: its defaults plus `protocolMode: "OIDC"` and
 * `knownAuthorities`, against the provider behind a TLS terminator (MSAL refuses http authorities) whose
 * certificate this process trusts, so MSAL's own network client is used unchanged.
 */

const APP = 'msal-app';
const APP_SECRET = 'msal-app-secret-0123456789';
const REDIRECT = 'http://127.0.0.1:9/msal';
const TENANT = '0b6f4a6e-4c9e-4f38-9d5e-6a1c2b3d4e5f';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let proxy: TlsTerminator;
let server: Awaited<ReturnType<typeof startProxiedServer>>;
let issuer: string;
beforeAll(async () => {
  redis = await startTestRedis();
  proxy = await startTlsTerminator();
  issuer = proxy.url;
  const base = testConfig();
  const config = testConfig({
    options: { ...base.options, tenantId: TENANT },
    clients: [
      ...base.clients,
      {
        client_id: APP,
        client_secret: APP_SECRET,
        client_name: 'MSAL app',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        response_types: ['code'],
        // MSAL sends the secret in the form.
        token_endpoint_auth_method: 'client_secret_post',
        permissions: ['UserAuthMethod-TAP.Read.All', 'User.ReadWrite.All'],
      },
    ],
  });
  server = await startProxiedServer(redis.url, issuer, new TestClock(), config);
  proxy.forwardTo(server.url);
});
afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await redis?.stop();
});

type Mode = 'OIDC' | 'default';
let mode: Mode = 'OIDC';

/**
 * The app's MSAL, configured as its documentation says for a non-Microsoft authority (`protocolMode: "OIDC"`), or
 * with MSAL's default (Entra ID) mode, which finds the endpoints at `/v2.0/.well-known/openid-configuration`.
 */
function msal(): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: APP, clientSecret: APP_SECRET, authority: issuer, knownAuthorities: [new URL(issuer).host] },
    ...(mode === 'OIDC' ? { system: { protocolMode: 'OIDC' as const } } : {}),
  });
}

/** A multi-use TAP for the user, issued as an administrator would. */
async function tapFor(upn: string): Promise<{ id: string; passcode: string }> {
  const user = (await server.plugin.directory.findByUpn(upn))!;
  const tap = await server.plugin.taps.create(user, { isUsableOnce: false }, byTest);
  return { id: tap.id, passcode: tap.temporaryAccessPass! };
}

/** Open MSAL's authorization URL in the browser; the page it lands on. */
async function authorize(app: ConfidentialClientApplication, browser: Browser, extra: { prompt?: string } = {}) {
  const pkce = await new CryptoProvider().generatePkceCodes();
  const url = await app.getAuthCodeUrl({ scopes: [], redirectUri: REDIRECT, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', ...extra });
  return { pkce, page: await browser.follow(url) };
}

/** MSAL redeems the callback's code, as the app's redirect handler does. */
function redeem(app: ConfidentialClientApplication, callback: string, verifier: string): Promise<AuthenticationResult> {
  const code = new URL(callback).searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback}`);
  return app.acquireTokenByCode({ code, scopes: [], redirectUri: REDIRECT, codeVerifier: verifier });
}

describe.each<Mode>(['OIDC', 'default'])('MSAL Node with its defaults, protocol mode %s', (m) => {
  beforeAll(() => {
    mode = m;
  });

  it('signs a user in with a TAP: the account is named by UPN in the configured tenant, and acquireTokenSilent refreshes', async () => {
    const app = msal();
    const browser = new Browser();
    const { pkce, page } = await authorize(app, browser);
    const tap = await tapFor('jdoe@contoso.com');
    const result = await redeem(app, await signInWithTapFrom(browser, page, 'jdoe@contoso.com', tap.passcode), pkce.verifier);
    const user = (await server.plugin.directory.findByUpn('jdoe@contoso.com'))!;
    expect(result.account).toMatchObject({ username: 'jdoe@contoso.com', name: 'Jane Doe', tenantId: TENANT, localAccountId: user.id });
    expect(result.idTokenClaims).toMatchObject({ preferred_username: 'jdoe@contoso.com', name: 'Jane Doe', oid: user.id, tid: TENANT, sub: user.id });
    // MSAL asked offline_access without prompt=consent, as it always does: it got a refresh token all the same.
    expect(result.scopes).toContain('offline_access');
    const refreshed = await app.acquireTokenSilent({ account: result.account!, scopes: [], forceRefresh: true });
    expect(refreshed.accessToken).toBeTruthy();
    expect(refreshed.accessToken).not.toBe(result.accessToken);
  });

  it('the refresh token of a TAP sign-in got this way still ends with the TAP: deleted, acquireTokenSilent must sign in again', async () => {
    const app = msal();
    const browser = new Browser();
    const { pkce, page } = await authorize(app, browser);
    const tap = await tapFor('contractor@contoso.com');
    const result = await redeem(app, await signInWithTapFrom(browser, page, 'contractor@contoso.com', tap.passcode), pkce.verifier);
    await app.acquireTokenSilent({ account: result.account!, scopes: [], forceRefresh: true });
    const user = (await server.plugin.directory.findByUpn('contractor@contoso.com'))!;
    await server.plugin.taps.delete(user, tap.id, byTest);
    await expect(app.acquireTokenSilent({ account: result.account!, scopes: [], forceRefresh: true })).rejects.toMatchObject({ errorCode: 'invalid_grant' });
  });

  it('prompt=select_account: the signed-in account to continue as (its tokens still end with its TAP), or another; the identifier step without a session', async () => {
    const app = msal();
    const browser = new Browser();
    const first = await authorize(app, browser);
    const tap = await tapFor('admin@contoso.com');
    await redeem(app, await signInWithTapFrom(browser, first.page, 'admin@contoso.com', tap.passcode), first.pkce.verifier);

    const again = await authorize(app, browser, { prompt: 'select_account' });
    expect(again.page.html).toContain('Pick an account');
    expect(again.page.html).toContain('admin@contoso.com');
    expect(again.page.html).toContain('Use another account');
    const continued = await browser.submit(formAction(again.page.html, again.page.url), { account: 'current' });
    const result = await redeem(app, continued.url, again.pkce.verifier);
    expect(result.account?.username).toBe('admin@contoso.com');

    const other = await authorize(app, browser, { prompt: 'select_account' });
    const identifier = await browser.submit(formAction(other.page.html, other.page.url), { account: 'other' });
    expect(identifier.html).toContain('name="username"');
    const jdoe = await tapFor('jdoe@contoso.com');
    const switched = await redeem(app, await signInWithTapFrom(browser, identifier, 'jdoe@contoso.com', jdoe.passcode), other.pkce.verifier);
    expect(switched.account?.username).toBe('jdoe@contoso.com');

    // Continuing as the account is single sign-on: what it got still ends with the TAP that session rests on.
    const admin = (await server.plugin.directory.findByUpn('admin@contoso.com'))!;
    await server.plugin.taps.delete(admin, tap.id, byTest);
    await expect(app.acquireTokenSilent({ account: result.account!, scopes: [], forceRefresh: true })).rejects.toMatchObject({ errorCode: 'invalid_grant' });

    const fresh = await authorize(app, new Browser(), { prompt: 'select_account' });
    expect(fresh.page.html).toContain('name="username"');
    expect(fresh.page.html).not.toContain('Use another account');
  });

  it('client credentials with <API>/.default get every permission granted to the app; an unknown scope is invalid_scope', async () => {
    const app = msal();
    const result = await app.acquireTokenByClientCredential({ scopes: [`${graphResource(issuer)}/.default`] });
    expect(result?.scopes.sort()).toEqual(['User.ReadWrite.All', 'UserAuthMethod-TAP.Read.All']);
    const users = await graph(issuer, result!.accessToken, 'GET', '/users');
    expect(users.status).toBe(200);
    const one = await msal().acquireTokenByClientCredential({ scopes: [`${graphResource(issuer)}/User.ReadWrite.All`] });
    expect(one?.scopes).toEqual(['User.ReadWrite.All']);
    await expect(msal().acquireTokenByClientCredential({ scopes: [`${issuer}/nothing-here/.default`] })).rejects.toMatchObject({ errorCode: 'invalid_scope' });
    await expect(msal().acquireTokenByClientCredential({ scopes: [`${graphResource(issuer)}/UserAuthenticationMethod.Read`] })).rejects.toMatchObject({ errorCode: 'invalid_scope' });
    await expect(msal().acquireTokenByClientCredential({ scopes: ['Made.Up.All'] })).rejects.toMatchObject({ errorCode: 'invalid_scope' });
  });
});
