import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PasskeyPage, startCallbackServer } from './support/chromium.js';
import { appToken, graph } from './support/graph.js';
import { startTestRedis } from './support/redis.js';
import { signInWithTapInPage } from './support/signInWithTapInPage.js';

/**
 * The example host (examples/embed) as an outside team runs it: oidc-tap packed into a tarball, installed with
 * npm beside koa and oidc-provider, the host's own process on its own Redis. Nothing is imported from src/.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const HOST_USER = { id: 'emp-1042', upn: 'jdoe@example.com' };
const CLIENT = { id: 'host-app', secret: 'host-app-secret-0123456789' };
const ONBOARDING_SECRET = 'onboarding-secret-0123456789';

let work: string;
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let callback: Awaited<ReturnType<typeof startCallbackServer>>;
let host: ChildProcess;
let issuer: string;
let hostOutput = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'oidc-tap-embed-'));
  // `npm pack` runs `prepack` (a clean build) and packs exactly what `files` lists.
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT)) as { filename: string }[];
  const dir = path.join(work, 'host');
  cpSync(path.join(ROOT, 'examples/embed'), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  copyFileSync(path.join(work, packed!.filename), path.join(dir, 'oidc-tap.tgz'));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], dir);

  [redis, callback] = await Promise.all([startTestRedis(), startCallbackServer()]);
  const port = await freePort();
  // WebAuthn needs a host name: an IP address cannot be the RP ID.
  issuer = `http://localhost:${port}`;
  host = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), ISSUER: issuer, REDIS_URL: redis.url, REDIRECT_URI: callback.url, CLIENT_ID: CLIENT.id, CLIENT_SECRET: CLIENT.secret, ONBOARDING_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      hostOutput += chunk.toString();
      if (hostOutput.includes('host listening')) resolve();
    };
    host.stdout!.on('data', onData);
    host.stderr!.on('data', onData);
    host.once('exit', (code) => reject(new Error(`the host exited (${code}):\n${hostOutput}`)));
  });
});

afterAll(async () => {
  host?.kill('SIGTERM');
  await callback?.close();
  await redis?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the example host on the packed package', () => {
  it('takes its own user from a TAP to a passkey in Chromium, every asset loading, with its own id as sub', async () => {
    // The host's onboarding job issues the TAP through the admin API, as any Graph client would.
    const token = await appToken(issuer, 'onboarding', ONBOARDING_SECRET, 'UserAuthMethod-TAP.ReadWrite.All');
    const tap = await graph(issuer, token, 'POST', `/users/${encodeURIComponent(HOST_USER.upn)}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 });
    expect(tap.status, JSON.stringify(tap.body)).toBe(201);

    const rp = await client.discovery(new URL(issuer), CLIENT.id, {}, client.ClientSecretBasic(CLIENT.secret), { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: callback.url,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });

    const chromium = await launchChromium();
    try {
      const p = await PasskeyPage.open(chromium);
      const failed: string[] = [];
      const assets = new Map<string, number>();
      const violations: string[] = [];
      p.page.on('response', (res) => {
        const u = new URL(res.url());
        if (u.origin !== issuer) return;
        if (u.pathname.startsWith('/assets/')) assets.set(u.pathname, res.status());
        if (res.status() >= 400) failed.push(`${res.status()} ${u.pathname}`);
      });
      p.page.on('requestfailed', (req) => failed.push(`failed ${req.url()}`));
      p.page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });

      await p.page.goto(url.href);
      await signInWithTapInPage(p.page, HOST_USER.upn, String(tap.body.temporaryAccessPass));
      await p.page.getByRole('button', { name: 'Register a passkey' }).click();
      await p.page.getByRole('heading', { name: 'Your passkey is ready' }).waitFor();
      await p.page.getByRole('button', { name: 'Sign in with your passkey' }).click();
      await p.page.waitForURL(`${callback.url}**`);
      expect(await p.credentials()).toHaveLength(1);

      // The page scripts format their messages with the catalogue's library, served from the package too.
      expect(Object.fromEntries(assets)).toEqual({
        '/assets/app.css': 200,
        '/assets/app.js': 200,
        '/assets/intl-messageformat.js': 200,
        '/assets/webauthn.js': 200,
        '/assets/passkey.js': 200,
      });
      expect(failed).toEqual([]);
      expect(violations).toEqual([]);
      const tokens = await client.authorizationCodeGrant(rp, new URL(p.page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      expect(tokens.claims()?.sub).toBe(HOST_USER.id);
      await p.close();
    } finally {
      await chromium.close();
    }
  });
});
