import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { graphResource } from '../src/provider/graphResource.js';
import { apiClient } from './support/graph.js';
import { issueTap } from './support/issueTap.js';
import { redeem, signIn, startAuthorization } from './support/rp.js';
import { tapToPasskey } from './support/tapToPasskey.js';
import { REDIRECT_URI, testConfig, type TestServer } from './support/testServer.js';

/**
 * The deployment's own APIs (config `resources`, RFC 8707): an app asks with `resource=` and the API's scopes and
 * gets a token for that API alone; a JWT one (RFC 9068) says how the person signed in (`acr`, `amr`) and never
 * outlives the TAP a sign-in used, so the API can check both itself.
 */

const ORDERS = 'https://api.contoso.test';
const LEDGER = 'https://ledger.contoso.test';
const JOB = 'nightly-job';
const JOB_SECRET = 'nightly-job-secret-0123456789';

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [testConfig().clients[0], apiClient(JOB, JOB_SECRET, [])],
        resources: [
          // Longer than the TAPs below: the TAP's end must cut it short.
          { identifier: ORDERS, scopes: ['orders.read', 'orders.write'], accessTokenFormat: 'jwt', accessTokenTtlSeconds: 7200 },
          { identifier: LEDGER, scopes: ['ledger.read'], accessTokenFormat: 'opaque' },
        ],
      }),
  },
  (d) => ({ server, rp } = d),
);

/** The orders API: it trusts a bearer token only once jose has checked it against the provider's keys. */
let api: http.Server;
let apiUrl: string;
beforeAll(async () => {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/jwks`));
  api = http.createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!token) return reply(401, { error: 'no token' });
    jwtVerify(token, jwks, { issuer: server.url, audience: ORDERS, typ: 'at+jwt' }).then(
      ({ payload }) => reply(200, payload),
      (e: Error) => reply(401, { error: e.message }),
    );
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/orders`;
});
afterAll(() => new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve())));

/** What the orders API makes of a token: its claims when it accepts it. */
async function callApi(token: string): Promise<{ status: number; body: JWTPayload & { error?: string; acr?: string; amr?: string[] } }> {
  const res = await fetch(apiUrl, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as JWTPayload };
}

async function tapFor(prefix: string, lifetimeInMinutes: number) {
  const user = await freshUser(server, prefix);
  const tap = await issueTap(server, user, { lifetimeInMinutes, isUsableOnce: false });
  return { user, passcode: tap.temporaryAccessPass!, endSec: Date.parse(tap.startDateTime) / 1000 + lifetimeInMinutes * 60 };
}

describe('access tokens for the deployment’s own APIs', () => {
  it('gives a TAP sign-in a JWT for the API that jose verifies, ending no later than the TAP, with acr mfa and amr tap', async () => {
    const { user, passcode, endSec } = await tapFor('orders-tap', 30);
    const flow = await signIn(rp, user.userPrincipalName, { tap: passcode }, { resource: ORDERS, scope: 'openid offline_access orders.read' }, { consent: false });
    // The API is the deployment's own: no consent page on the way.
    expect(flow.callback, flow.done.url).toBeDefined();
    const tokens = await redeem(rp, flow);
    const { status, body } = await callApi(tokens.access_token);
    expect(status, body.error).toBe(200);
    expect(body.iss).toBe(server.url);
    expect(body.aud).toBe(ORDERS);
    expect(body.scope).toBe('orders.read');
    expect(body.sub).toBe(user.id);
    expect(body.exp).toBeLessThanOrEqual(endSec);
    // Not the configured two hours: the TAP's half hour.
    expect(body.exp!).toBeLessThan(Date.now() / 1000 + 31 * 60);
    expect(body.acr).toBe('mfa');
    expect(body.amr).toContain('tap');
    expect(typeof body.auth_time).toBe('number');
    // A refreshed token is capped the same way and keeps how the person signed in.
    const refreshed = await client.refreshTokenGrant(rp, tokens.refresh_token!);
    const again = await callApi(refreshed.access_token);
    expect(again.status, again.body.error).toBe(200);
    expect(again.body.exp).toBeLessThanOrEqual(endSec);
    expect(again.body.acr).toBe('mfa');
    expect(again.body.amr).toContain('tap');
  });

  it('gives a passkey sign-in a JWT whose acr says phishing-resistant, so the API can demand a passkey itself', async () => {
    const { user, passcode } = await tapFor('orders-passkey', 30);
    const s = await tapToPasskey(rp, user.userPrincipalName, passcode, { params: { resource: ORDERS, scope: 'openid orders.read orders.write' } });
    const tokens = await redeem(rp, { callback: s.done.url, verifier: s.verifier, state: s.state });
    const { status, body } = await callApi(tokens.access_token);
    expect(status, body.error).toBe(200);
    expect(body.acr).toBe('phr');
    expect(body.amr).not.toContain('tap');
    expect(String(body.scope).split(' ').sort()).toEqual(['orders.read', 'orders.write']);
  });

  it('gives an opaque-format API an opaque token that introspection describes, with how the person signed in', async () => {
    const { user, passcode, endSec } = await tapFor('ledger', 30);
    const flow = await signIn(rp, user.userPrincipalName, { tap: passcode }, { resource: LEDGER, scope: 'openid ledger.read' });
    const tokens = await redeem(rp, flow);
    expect(tokens.access_token.split('.')).toHaveLength(1);
    expect((await callApi(tokens.access_token)).status).toBe(401);
    const info = await client.tokenIntrospection(rp, tokens.access_token);
    expect(info.active).toBe(true);
    expect(info.aud).toBe(LEDGER);
    expect(info.scope).toBe('ledger.read');
    expect(info.exp).toBeLessThanOrEqual(endSec);
    expect(info.acr).toBe('mfa');
  });

  it('refuses a resource the config does not declare with invalid_target', async () => {
    const a = await startAuthorization(rp, { resource: 'https://evil.example', scope: 'openid orders.read' });
    expect(a.url.startsWith(REDIRECT_URI), a.url).toBe(true);
    expect(new URL(a.url).searchParams.get('error')).toBe('invalid_target');
  });

  it('refuses a token for one API at another API', async () => {
    const { user, passcode } = await tapFor('wrong-aud', 30);
    const flow = await signIn(rp, user.userPrincipalName, { tap: passcode }, { resource: ORDERS, scope: 'openid orders.read' });
    const tokens = await redeem(rp, flow);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/jwks`));
    await expect(jwtVerify(tokens.access_token, jwks, { issuer: server.url, audience: LEDGER, typ: 'at+jwt' })).rejects.toThrow(/aud/);
  });

  it('gives an application acting for nobody no token for the APIs (invalid_target): their tokens always name a person', async () => {
    const job = await client.discovery(new URL(server.url), JOB, {}, client.ClientSecretBasic(JOB_SECRET), { execute: [client.allowInsecureRequests] });
    const error = await client.clientCredentialsGrant(job, { scope: 'orders.read', resource: ORDERS }).then(
      () => undefined,
      (e: { error?: string }) => e.error,
    );
    expect(error).toBe('invalid_target');
  });

  it('leaves the admin API’s tokens as they were: opaque, with auth_time but no acr or amr', async () => {
    const { user, passcode } = await tapFor('admin-api', 30);
    const admin = graphResource(server.url);
    const flow = await signIn(rp, user.userPrincipalName, { tap: passcode }, { resource: admin, scope: 'openid UserAuthenticationMethod.Read' });
    const tokens = await redeem(rp, flow);
    expect(tokens.access_token.split('.')).toHaveLength(1);
    const info = await client.tokenIntrospection(rp, tokens.access_token);
    expect(info.aud).toBe(admin);
    expect(info.scope).toBe('UserAuthenticationMethod.Read');
    expect(typeof info.auth_time).toBe('number');
    expect(info).not.toHaveProperty('acr');
    expect(info).not.toHaveProperty('amr');
  });
});
