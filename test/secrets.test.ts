import type * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useDeployment } from './support/deployment.js';
import { dumpRedis } from './support/dumpRedis.js';
import { redeem, signIn, signInWithPassword } from './support/rp.js';
import { type TestServer } from './support/testServer.js';
import { byTest } from './support/byTest.js';

let server: TestServer;
let rp: client.Configuration;
useDeployment({}, (d) => ({ server, rp } = d));

describe('passcodes are shown once and kept nowhere', () => {
  it('leaves no passcode in any Redis key or value, nor in the server log, after real sign-ins', async () => {
    const passcodes: string[] = [];
    const issue = async (upn: string, once = false) => {
      const user = (await server.plugin.directory.findByUpn(upn))!;
      const tap = await server.plugin.taps.create(user, { isUsableOnce: once }, byTest);
      passcodes.push(tap.temporaryAccessPass!);
      return tap.temporaryAccessPass!;
    };

    const jdoe = await issue('jdoe@contoso.com');
    const ok = await signIn(rp, 'jdoe@contoso.com', { tap: jdoe });
    await redeem(rp, ok);
    const once = await issue('int@contoso.com', true);
    // A one-time TAP cannot skip passkey registration: signed in, the flow stops at that page.
    expect((await signIn(rp, 'int@contoso.com', { tap: once })).registration?.html).toContain('Register a passkey');
    // Used again, typed at the wrong account, and replaced: all paths that touch a passcode.
    await signIn(rp, 'int@contoso.com', { tap: once });
    const pats = await issue('pat@contoso.com');
    await signIn(rp, 'jdoe@contoso.com', { tap: pats });
    await issue('pat@contoso.com');

    const dump = (await dumpRedis(server.redis)).text;
    expect(dump).toContain('tap:{u:'); // the scan really saw the TAP records
    const logs = server.logs.join('');
    expect(logs).toContain('tap.created');
    for (const p of passcodes) {
      expect(p).toMatch(/^[A-Za-z0-9]{8}$/);
      expect(dump.includes(p), `passcode found in Redis`).toBe(false);
      expect(logs.includes(p), `passcode found in the log`).toBe(false);
    }
    // The log holds no cookies or tokens either: no query strings, no headers.
    expect(logs).not.toMatch(/code=|_session|_interaction|Bearer /);
  });

  it('keeps the passcode out of every later answer: only the creation response carries it', async () => {
    const user = (await server.plugin.directory.findByUpn('jdoe@contoso.com'))!;
    const created = await server.plugin.taps.create(user, {}, byTest);
    expect(created.temporaryAccessPass).toMatch(/^[A-Za-z0-9]{8}$/);
    const later = await server.plugin.taps.get(user);
    expect(later!.id).toBe(created.id);
    expect(later!.temporaryAccessPass).toBeNull();
  });

  it('keeps no usable token, code or session id in Redis: a copy of it signs nobody in', async () => {
    const flow = await signInWithPassword(rp, 'pat@contoso.com', 'correct horse battery staple');
    expect(flow.callback, 'the sign-in reached the client').toBeDefined();
    const code = new URL(flow.callback!).searchParams.get('code')!;
    const tokens = await redeem(rp, flow);
    const session = flow.browser.cookies.get('_session')!;
    expect(session).toBeTruthy();
    const dump = (await dumpRedis(server.redis)).text;
    expect(dump).toContain('oidc:Session:'); // the scan saw the session and the tokens
    expect(dump).toContain('oidc:RefreshToken:');
    for (const [name, secret] of [['session cookie', session], ['code', code], ['access token', tokens.access_token], ['refresh token', tokens.refresh_token!]]) {
      expect(dump.includes(secret!), `${name} found in Redis`).toBe(false);
    }
    // And the provider still finds them by their own value.
    expect((await server.provider.AccessToken.find(tokens.access_token))?.accountId).toBeTruthy();
  });
});

