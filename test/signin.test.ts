import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import { formAction, pageError } from './support/Browser.js';
import { redeem, signIn, startAuthorization, submitIdentifier } from './support/rp.js';
import { type TestServer } from './support/testServer.js';
import { issueTap } from './support/issueTap.js';

let server: TestServer;
let rp: client.Configuration;
useDeployment({}, (d) => ({ server, rp } = d));

describe('signing in with a Temporary Access Pass', () => {
  it('takes a relying party from identifier to TAP to tokens and userinfo, with amr tap+mfa in a verifiable ID token', async () => {
    const tap = await issueTap(server, 'jdoe@contoso.com');
    const flow = await signIn(rp, 'jdoe@contoso.com', { tap: tap.temporaryAccessPass! });
    expect(flow.step.html).toContain('Temporary Access Pass');
    expect(flow.callback).toBeDefined();

    const tokens = await redeem(rp, flow);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/jwks`));
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: server.url, audience: 'test-rp' });
    expect(payload.amr).toEqual(expect.arrayContaining(['tap', 'mfa']));
    expect(payload.acr).toBe('mfa');
    expect(typeof payload.auth_time).toBe('number');

    const user = (await server.plugin.directory.findByUpn('jdoe@contoso.com'))!;
    expect(payload.sub).toBe(user.id);
    const info = await client.fetchUserInfo(rp, tokens.access_token, user.id);
    expect(info.preferred_username).toBe('jdoe@contoso.com');
    expect(info.name).toBe('Jane Doe');
  });

  it('asks for the TAP with the labels of docs/rules.md, and offers the password to a user who has one', async () => {
    await issueTap(server, 'pat@contoso.com');
    const a = await startAuthorization(rp);
    expect(a.html).toMatch(/<label[^>]*for="username"[^>]*>\s*Email or username\s*</);
    expect(a.html).toMatch(/<button[^>]*>\s*Next\s*</);
    const step = await submitIdentifier(a, 'PAT@contoso.com');
    expect(step.html).toMatch(/<label[^>]*for="tap"[^>]*>\s*Temporary Access Pass\s*</);
    expect(step.html).toContain('name="tap"');
    expect(step.html).toMatch(/<button[^>]*>\s*Sign in\s*</);
    expect(step.html).toContain('Use your password instead');

    // The user may still choose their password.
    const link = /href="([^"]+)"[^>]*>\s*Use your password instead/.exec(step.html)![1]!.replaceAll('&amp;', '&');
    const pw = await a.browser.follow(new URL(link, step.url).href);
    expect(pw.html).toMatch(/<label[^>]*for="password"[^>]*>\s*Password\s*</);
    const done = await a.browser.submit(formAction(pw.html, pw.url), { username: 'pat@contoso.com', password: 'correct horse battery staple' });
    expect(done.url.startsWith('http://127.0.0.1:9/cb?')).toBe(true);
    const tokens = await redeem(rp, { ...a, callback: done.url });
    expect(tokens.claims()!.amr).toEqual(['pwd']);
  });

  it('shows an unknown user the same password step as a user without a TAP (no enumeration)', async () => {
    const known = await submitIdentifier(await startAuthorization(rp), 'contractor@contoso.com');
    const u = await startAuthorization(rp);
    const unknown = await submitIdentifier(u, 'nobody@contoso.com');
    const shape = (html: string, upn: string) => html.replaceAll(upn, 'UPN').replace(/\/interaction\/[^/"]+/g, '/interaction/X');
    expect(shape(unknown.html, 'nobody@contoso.com')).toBe(shape(known.html, 'contractor@contoso.com'));
    expect(unknown.html).toContain('name="password"');
    // No TAP step (the help desk's line on the password step names a TAP for everyone).
    expect(unknown.html).not.toMatch(/name="tap"|Enter Temporary Access Pass/);
    expect(unknown.res.status).toBe(known.res.status);

    const refused = await u.browser.submit(formAction(unknown.html, unknown.url), { username: 'nobody@contoso.com', password: 'x' });
    expect(pageError(refused.html)).toBe('Your account or password is incorrect.');
  });

  it('prompts a federated-domain user who holds a TAP for the TAP, without a redirect', async () => {
    const tap = await issueTap(server, 'fed@fabrikam.test');
    const a = await startAuthorization(rp);
    const step = await submitIdentifier(a, 'fed@fabrikam.test');
    expect(step.res.status).toBe(200);
    expect(step.html).toContain('name="tap"');
    const done = await a.browser.submit(formAction(step.html, step.url), { username: 'fed@fabrikam.test', tap: tap.temporaryAccessPass! });
    // Signed in here with the TAP: on to passkey registration, never to the domain's provider.
    expect(new URL(done.url).origin).toBe(server.url);
    expect(done.html).toContain('Register a passkey');
  });

  it('refuses a wrong TAP with a readable message and keeps the username but not the passcode', async () => {
    await issueTap(server, 'int@contoso.com');
    const flow = await signIn(rp, 'int@contoso.com', { tap: 'WRONG-PASS' });
    expect(flow.callback).toBeUndefined();
    expect(flow.done.res.status).toBe(400);
    expect(pageError(flow.done.html)).toMatch(/did not work/);
    expect(flow.done.html).toContain('value="int@contoso.com"');
    expect(flow.done.html).not.toContain('WRONG-PASS');
  });

  it('serves pages with a strict Content-Security-Policy and no external assets', async () => {
    const a = await startAuthorization(rp);
    const res = await a.browser.request(a.url);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(a.html).not.toMatch(/(src|href)="https?:\/\//);
    expect(a.html).not.toMatch(/<script>|<style>| style="| on[a-z]+="/);
    const css = await fetch(`${server.url}/assets/app.css`);
    expect(css.status).toBe(200);
  });

  it('answers an expired or foreign interaction with a readable page, not an error dump', async () => {
    const res = await fetch(`${server.url}/interaction/does-not-exist`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('This sign-in request has expired');
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
