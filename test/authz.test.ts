import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { Browser, formAction } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { graph } from './support/graph.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { redeem, signIn, signInWithPassword, startAuthorization } from './support/rp.js';
import { REDIRECT_URI, TEST_CLIENT, TEST_USERS, testConfig, type TestClock, type TestServer } from './support/testServer.js';
import { byTest } from './support/byTest.js';

/*
 * Who may get a token for the admin API, and what a delegated token may do at /me: an application's admin
 * scopes are allowed per client in the config and accepted by the person on a consent page; a change at /me
 * needs its own scope and a recent sign-in.
 */

const GA = { upn: 'ga@contoso.com', password: 'global admin password 1' };
const PASSWORD = 'self service password 1';
const EVERY_SCOPE =
  'UserAuthMethod-TAP.ReadWrite.All UserAuthMethod-TAP.Read.All Policy.ReadWrite.AuthenticationMethod Policy.Read.All User.ReadWrite.All AuditLog.Read.All';
const POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
const taps = (upn: string) => `/users/${encodeURIComponent(upn)}/authentication/temporaryAccessPassMethods`;

/** A relying party registered with no delegated permissions: it may sign people in, nothing more. */
const PLAIN = {
  client_id: 'plain-rp',
  client_secret: 'plain-rp-secret-0123456789',
  client_name: 'Plain Notes App',
  redirect_uris: ['http://127.0.0.1:9/plain-cb'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
};

let server: TestServer;
let rp: client.Configuration;
let clock: TestClock;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, PLAIN],
        users: [...TEST_USERS, { userPrincipalName: GA.upn, displayName: 'Global Admin', roles: ['GlobalAdministrator'], password: GA.password }],
      }),
  },
  (d) => ({ server, rp, clock } = d),
);

async function plainRp(): Promise<client.Configuration> {
  return client.discovery(new URL(server.url), PLAIN.client_id, {}, client.ClientSecretBasic(PLAIN.client_secret), {
    execute: [client.allowInsecureRequests],
  });
}

/** Send `browser` through an authorization request of `config`; stops at the client's callback or at a page. */
async function authorize(config: client.Configuration, browser: Browser, redirectUri: string, params: Record<string, string>) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  }).href;
  const page = await browser.follow(url);
  return { ...page, verifier, state, callback: page.url.startsWith(redirectUri) ? page.url : undefined };
}

const isConsentPage = (html: string) => /<button[^>]*value="allow"[^>]*>\s*Allow\s*<\/button>/.test(html);

let seq = 0;
/** A member with a password, a TAP and a passkey: something to delete at /me. */
async function selfServiceUser() {
  seq += 1;
  const upn = `self-${seq}@contoso.com`;
  const user = await server.plugin.directory.importSeed({ userPrincipalName: upn, displayName: `Self ${seq}`, userType: 'Member', roles: [], groups: [], password: PASSWORD });
  const tap = await server.plugin.taps.create(user, { lifetimeInMinutes: 480 }, byTest);
  const passkey = await seedPasskey(server.redis, user.id);
  return { user, tap, passkey };
}

/** A delegated token of the self-service user, signed in with their password now. */
async function selfToken(upn: string, scope: string): Promise<string> {
  const flow = await signInWithPassword(rp, upn, PASSWORD, { scope: `openid ${scope}`, prompt: 'login' });
  return (await redeem(rp, flow)).access_token;
}

describe('an application asking for the admin API while an administrator is signed in', () => {
  it('gets no admin scope and no usable admin token when it is not allowed any: no TAP, no policy change', async () => {
    const browser = new Browser();
    // The administrator signs in to an application of the deployment: their browser now has a session.
    const own = await signIn(rp, GA.upn, { password: GA.password }, { scope: 'openid', prompt: 'login' }, { browser });
    expect(own.callback).toBeDefined();
    const before = (await server.plugin.taps.getPolicy()).defaultLength;
    const jdoe = (await server.plugin.directory.findByUpn('jdoe@contoso.com'))!;

    // A registered relying party with no delegated permissions asks for every Graph scope, silently, naming the
    // API as its resource or leaving it to the default.
    const plain = await plainRp();
    for (const resource of [{ resource: `${server.url}/v1.0` }, {}] as Record<string, string>[]) {
      const flow = await authorize(plain, browser, PLAIN.redirect_uris[0]!, { scope: `openid ${EVERY_SCOPE}`, ...resource });
      let token: string | undefined;
      if (flow.callback) {
        const tokens = await client
          .authorizationCodeGrant(plain, new URL(flow.callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state })
          .catch(() => undefined);
        for (const s of EVERY_SCOPE.split(' ')) expect(String(tokens?.scope ?? '').split(' ')).not.toContain(s);
        token = tokens?.access_token;
      } else {
        // Or refused outright: never a consent page that would give it what its config does not allow.
        expect(isConsentPage(flow.html)).toBe(false);
      }
      const created = await graph(server.url, token, 'POST', taps('jdoe@contoso.com'), { lifetimeInMinutes: 60 });
      expect([401, 403]).toContain(created.status);
      expect(created.body.temporaryAccessPass).toBeUndefined();
      expect([401, 403]).toContain((await graph(server.url, token, 'PATCH', POLICY, { defaultLength: 20 })).status);
    }
    expect(await server.plugin.taps.get(jdoe)).toBeUndefined();
    expect((await server.plugin.taps.getPolicy()).defaultLength).toBe(before);
  });

  it("shows an allowed application's permissions on a consent page first, and its token works only after Allow", async () => {
    const browser = new Browser();
    await signIn(rp, GA.upn, { password: GA.password }, { scope: 'openid', prompt: 'login' }, { browser });
    const target = await freshUser(server, 'consent-target');
    const scope = 'openid UserAuthMethod-TAP.ReadWrite.All Policy.ReadWrite.AuthenticationMethod';

    // Without a page (prompt=none) there is no code at all: consent is required.
    const silent = await authorize(rp, browser, REDIRECT_URI, { scope, prompt: 'none' });
    expect(silent.callback).toBeDefined();
    expect(new URL(silent.callback!).searchParams.get('error')).toBe('consent_required');
    expect(new URL(silent.callback!).searchParams.get('code')).toBeNull();

    const asked = await authorize(rp, browser, REDIRECT_URI, { scope });
    expect(asked.callback).toBeUndefined();
    expect(isConsentPage(asked.html)).toBe(true);
    expect(asked.html).toContain(TEST_CLIENT.client_name);
    expect(asked.html).toContain('Create, read and delete Temporary Access Passes and other sign-in methods of the users you manage');
    expect(asked.html).toContain('Change the Temporary Access Pass policy');
    expect(asked.html).toMatch(/<button[^>]*value="cancel"[^>]*>\s*Cancel\s*<\/button>/);

    const allowed = await browser.submit(formAction(asked.html, asked.url), { decision: 'allow' });
    expect(allowed.url.startsWith(REDIRECT_URI)).toBe(true);
    const tokens = await client.authorizationCodeGrant(rp, new URL(allowed.url), { pkceCodeVerifier: asked.verifier, expectedState: asked.state });
    expect(String(tokens.scope).split(' ')).toEqual(expect.arrayContaining(['UserAuthMethod-TAP.ReadWrite.All', 'Policy.ReadWrite.AuthenticationMethod']));
    const created = await graph(server.url, tokens.access_token, 'POST', taps(target.userPrincipalName), { lifetimeInMinutes: 60 });
    expect(created.status).toBe(201);

    // Remembered for this grant: the same scopes again need no page; one more scope asks again.
    const again = await authorize(rp, browser, REDIRECT_URI, { scope });
    expect(again.callback).toBeDefined();
    expect(new URL(again.callback!).searchParams.get('code')).toBeTruthy();
    const more = await authorize(rp, browser, REDIRECT_URI, { scope: `${scope} AuditLog.Read.All` });
    expect(more.callback).toBeUndefined();
    expect(isConsentPage(more.html)).toBe(true);
    expect(more.html).toContain('Read the audit and sign-in logs');
  });

  it('sends access_denied to the application when the person cancels, and issues nothing', async () => {
    const a = await startAuthorization(rp, { scope: 'openid User.ReadWrite.All', prompt: 'login' });
    const step = await a.browser.submit(formAction(a.html, a.url), { username: GA.upn });
    const page = await a.browser.submit(formAction(step.html, step.url).replace(/\/method\/[^/?#]+$/, '/method/password'), {
      username: GA.upn,
      password: GA.password,
    });
    expect(isConsentPage(page.html)).toBe(true);
    const cancelled = await a.browser.submit(formAction(page.html, page.url), { decision: 'cancel' });
    expect(cancelled.url.startsWith(REDIRECT_URI)).toBe(true);
    const params = new URL(cancelled.url).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('code')).toBeNull();
  });
});

describe('changes at /me', () => {
  it('refuses a deletion with a sign-in older than reauthenticationMaxAgeSeconds, changes nothing, and accepts it after signing in again', async () => {
    const { user, tap, passkey } = await selfServiceUser();
    // The admin API's write scope for methods covers /me too; the self-service scope is the one to ask for.
    const stale = await selfToken(user.userPrincipalName, 'UserAuthenticationMethod.ReadWrite UserAuthMethod-TAP.ReadWrite.All');
    clock.advance(11 * 60_000);

    const tapDelete = await graph(server.url, stale, 'DELETE', `/me/authentication/temporaryAccessPassMethods/${tap.id}`);
    expect(tapDelete.status).toBe(401);
    expect(tapDelete.body.error?.message).toMatch(/sign in again/i);
    expect(tapDelete.headers.get('www-authenticate')).toContain('error="insufficient_user_authentication"');
    expect(tapDelete.headers.get('www-authenticate')).toContain('max_age="600"');
    const passkeyDelete = await graph(server.url, stale, 'DELETE', `/me/authentication/fido2Methods/${encodeURIComponent(passkey.id)}`);
    expect(passkeyDelete.status).toBe(401);
    expect(await server.plugin.taps.get(user)).toBeDefined();
    expect(await server.plugin.passkeys.get(user.id, passkey.id)).toBeDefined();
    // Reading needs no recent sign-in.
    expect((await graph(server.url, stale, 'GET', '/me/authentication/methods')).status).toBe(200);

    const fresh = await selfToken(user.userPrincipalName, 'UserAuthenticationMethod.ReadWrite');
    expect((await graph(server.url, fresh, 'DELETE', `/me/authentication/fido2Methods/${encodeURIComponent(passkey.id)}`)).status).toBe(204);
    expect((await graph(server.url, fresh, 'DELETE', `/me/authentication/temporaryAccessPassMethods/${tap.id}`)).status).toBe(204);
    expect(await server.plugin.taps.get(user)).toBeUndefined();
  });

  it('keeps the sign-in time of the first token in a refreshed one, so refreshing never makes a sign-in recent', async () => {
    const { user } = await selfServiceUser();
    const flow = await signInWithPassword(rp, user.userPrincipalName, PASSWORD, { scope: 'openid offline_access UserAuthenticationMethod.ReadWrite' });
    const first = await redeem(rp, flow);
    const authTime = async (token: string) => (await server.provider.AccessToken.find(token))?.extra?.auth_time;
    const signedInAt = await authTime(first.access_token);
    expect(typeof signedInAt).toBe('number');
    await new Promise((r) => setTimeout(r, 1100));
    const refreshed = await client.refreshTokenGrant(rp, first.refresh_token!);
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(await authTime(refreshed.access_token)).toBe(signedInAt);
  });

  it('refuses a deletion with a token that was not granted a write scope for authentication methods', async () => {
    const { user, tap, passkey } = await selfServiceUser();
    for (const scope of ['UserAuthMethod-TAP.Read.All User.ReadWrite.All', 'UserAuthenticationMethod.Read']) {
      const token = await selfToken(user.userPrincipalName, scope);
      expect((await graph(server.url, token, 'GET', '/me/authentication/methods')).status).toBe(200);
      const refused = await graph(server.url, token, 'DELETE', `/me/authentication/temporaryAccessPassMethods/${tap.id}`);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('Authorization_RequestDenied');
      expect(refused.body.error?.message).toContain('UserAuthenticationMethod.ReadWrite');
      expect((await graph(server.url, token, 'DELETE', `/me/authentication/fido2Methods/${encodeURIComponent(passkey.id)}`)).status).toBe(403);
    }
    // A token with no scope of the API at all reads nothing either.
    const plain = await redeem(rp, await signInWithPassword(rp, user.userPrincipalName, PASSWORD, { scope: 'openid profile', prompt: 'login' }));
    expect([401, 403]).toContain((await graph(server.url, plain.access_token, 'GET', '/me/authentication/methods')).status);
    expect(await server.plugin.taps.get(user)).toBeDefined();
    expect(await server.plugin.passkeys.get(user.id, passkey.id)).toBeDefined();
  });
});
