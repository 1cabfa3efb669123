import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { tenantIdOf } from '../src/provider/tenantIdOf.js';
import { Browser } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { issueTap } from './support/issueTap.js';
import { redeem, signIn } from './support/rp.js';
import { signInWithTapFrom } from './support/signInWithTapFrom.js';
import { REDIRECT_URI, testConfig, type TestServer } from './support/testServer.js';

/**
 * What apps written for Entra ID expect of a sign-in, over plain HTTP with openid-client (test/msal.test.ts runs
 * MSAL itself): refresh tokens for `offline_access` alone, Entra's ID token claims per scope, the prompts listed.
 */

const NO_REFRESH = 'no-refresh-app';
const NO_REFRESH_SECRET = 'no-refresh-app-secret-0123456789';

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [
          ...testConfig().clients,
          { client_id: NO_REFRESH, client_secret: NO_REFRESH_SECRET, redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], response_types: ['code'] },
        ],
      }),
  },
  (d) => ({ server, rp } = d),
);

describe('apps written for Entra ID', () => {
  it('get a refresh token for offline_access without prompt=consent, when the client may have one at all', async () => {
    const tap = await issueTap(server, 'jdoe@contoso.com', { isUsableOnce: false });
    const asked = { scope: 'openid offline_access', prompt: '' };
    const tokens = await redeem(rp, await signIn(rp, 'jdoe@contoso.com', { tap: tap.temporaryAccessPass! }, asked));
    expect(tokens.refresh_token).toBeTruthy();

    const other = await client.discovery(new URL(server.url), NO_REFRESH, {}, client.ClientSecretBasic(NO_REFRESH_SECRET), { execute: [client.allowInsecureRequests] });
    const without = await redeem(other, await signIn(other, 'jdoe@contoso.com', { tap: tap.temporaryAccessPass! }, asked));
    expect(without.refresh_token).toBeUndefined();
  });

  it('get one for offline_access without prompt=consent through a pushed authorization request (PAR) too', async () => {
    const tap = await issueTap(server, 'pat@contoso.com', { isUsableOnce: false });
    const verifier = client.randomPKCECodeVerifier();
    const url = await client.buildAuthorizationUrlWithPAR(rp, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browser();
    const page = await browser.follow(url.href);
    const callback = await signInWithTapFrom(browser, page, 'pat@contoso.com', tap.temporaryAccessPass!);
    const tokens = await client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: verifier });
    expect(tokens.refresh_token).toBeTruthy();
  });

  it('ID tokens carry Entra\'s claims by scope: tid (derived from the issuer) with openid, preferred_username, name and oid with profile', async () => {
    const tap = await issueTap(server, 'contractor@contoso.com', { isUsableOnce: false });
    const user = (await server.plugin.directory.findByUpn('contractor@contoso.com'))!;
    const tid = tenantIdOf(server.url);
    expect(tid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const bare = await redeem(rp, await signIn(rp, 'contractor@contoso.com', { tap: tap.temporaryAccessPass! }, { scope: 'openid' }));
    const openid = decodeJwt(bare.id_token!);
    expect(openid).toMatchObject({ sub: user.id, tid });
    expect(openid).not.toHaveProperty('preferred_username');
    expect(openid).not.toHaveProperty('oid');

    const full = await redeem(rp, await signIn(rp, 'contractor@contoso.com', { tap: tap.temporaryAccessPass! }, { scope: 'openid profile' }));
    expect(decodeJwt(full.id_token!)).toMatchObject({ sub: user.id, oid: user.id, tid, preferred_username: 'contractor@contoso.com', name: 'Contractor' });
  });

  it('discovery lists the prompts accepted, select_account among them, and is served at Entra\'s /v2.0 path too', async () => {
    const doc = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc.prompt_values_supported).toEqual(expect.arrayContaining(['none', 'login', 'consent', 'select_account']));
    const entra = await fetch(`${server.url}/v2.0/.well-known/openid-configuration`);
    expect(entra.status).toBe(200);
    expect(await entra.json()).toEqual(doc);
  });
});
