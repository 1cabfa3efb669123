import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/createLogger.js';
import { startServer, type RunningServer } from '../src/startServer.js';
import { freePort } from '../src/store/startEmbeddedRedis.js';
import { byTest } from './support/byTest.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { startTestRedis } from './support/redis.js';
import { redeem, relyingParty, signIn } from './support/rp.js';
import { TEST_CLIENT } from './support/testServer.js';

/**
 * Instances of one deployment started from their environment (startServer), as `npm start` does: their secrets
 * checked against each other's, signing keys rotated across them, and the config file seeding only once.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SCOPE = 'User.ReadWrite.All Policy.ReadWrite.AuthenticationMethod';
const POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
let redis: Awaited<ReturnType<typeof startTestRedis>>;
let work: string;
let configFile: string;
const running: RunningServer[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  work = mkdtempSync(path.join(tmpdir(), 'oidc-tap-instances-'));
  configFile = path.join(work, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clients: [TEST_CLIENT, apiClient('ops-admin', 'ops-admin-secret-0123456789', SCOPE.split(' '))],
      users: [
        { userPrincipalName: 'admin@contoso.com', displayName: 'Ada Admin', roles: ['GlobalAdministrator'] },
        { userPrincipalName: 'jdoe@contoso.com', displayName: 'Jane Doe' },
        { userPrincipalName: 'gone@contoso.com', displayName: 'Gone Soon' },
      ],
      tapPolicy: { state: 'enabled', defaultLifetimeInMinutes: 60 },
    }),
  );
});

beforeEach(async () => {
  for (const r of running.splice(0)) await r.close();
  // Each test is a deployment of its own.
  execFileSync('redis-cli', ['-p', String(redis.port), 'flushall']);
});

afterAll(async () => {
  for (const r of running.splice(0)) await r.close();
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function signingKey(kid: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/** An instance with its own data folder, port and issuer, sharing the test's Redis and config file. */
async function start(env: { TAP_SECRET?: string; COOKIE_KEYS?: string; jwks?: object[] } = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const jwksFile = path.join(dataDir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: env.jwks ?? [await SHARED_KEY] }));
  const r = await startServer(
    {
      PORT: String(port),
      ISSUER: `http://localhost:${port}`,
      REDIS_URL: redis.url,
      CONFIG: configFile,
      DATA_DIR: dataDir,
      JWKS_FILE: jwksFile,
      TAP_SECRET: env.TAP_SECRET ?? 'instances-tap-secret-0123456789-0123456789',
      COOKIE_KEYS: env.COOKIE_KEYS ?? 'instances-cookie-key-0123456789',
    },
    { logger: createLogger(() => {}) },
  );
  running.push(r);
  return r;
}
const SHARED_KEY = signingKey('shared');

/** The kid of the ID token a TAP sign-in on `r` yields. */
async function idTokenFrom(r: RunningServer): Promise<string> {
  const user = (await r.plugin.directory.findByUpn('jdoe@contoso.com'))!;
  const tap = await r.plugin.taps.create(user, {}, byTest);
  const rp = await relyingParty(r.url);
  const tokens = await redeem(rp, await signIn(rp, 'jdoe@contoso.com', { tap: tap.temporaryAccessPass! }));
  return tokens.id_token!;
}

describe('secrets across instances', () => {
  it('refuses to start an instance whose TAP secret or cookie keys differ from the running ones, in one line naming the variable', async () => {
    await start();
    await expect(start({ TAP_SECRET: 'another-tap-secret-0123456789-0123456789' })).rejects.toThrow(
      /^TAP_SECRET: differs from the one the other instances of this deployment run with \(their fingerprint is in Redis\)/,
    );
    await expect(start({ COOKIE_KEYS: 'another-cookie-key-0123456789' })).rejects.toThrow(/^COOKIE_KEYS: has none of the keys the other instances/);
    await expect(start({ jwks: [await signingKey('stranger')] })).rejects.toThrow(/^JWKS_FILE: has none of the signing keys/);
    // The CLI issuing a TAP with another TAP_SECRET (a TAP no instance would accept): refused the same way.
    let cli: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, ['dist/cli.js', 'tap', 'create', 'jdoe@contoso.com'], {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: redis.url, CONFIG: configFile, TAP_SECRET: 'another-tap-secret-0123456789-0123456789', COOKIE_KEYS: 'instances-cookie-key-0123456789', DATA_DIR: work },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      cli = e as typeof cli;
    }
    expect(cli.status).toBe(2);
    expect(cli.stderr?.trim().split('\n').at(-1)).toMatch(/^oidc-tap: config error: TAP_SECRET: differs from the one the other instances/);
    // A rotation under way shares a key with the running instances: accepted.
    expect((await start({ COOKIE_KEYS: 'next-cookie-key-0123456789,instances-cookie-key-0123456789' })).url).toMatch(/^http/);
  });

  it('rotates the signing key across two instances without a token that the other cannot verify (publish before use)', async () => {
    const old = await signingKey('old');
    // The new key as the CLI makes it: publish-only (key_ops verify).
    const made = JSON.parse(execFileSync(process.execPath, ['dist/cli.js', 'secrets', 'key'], { cwd: ROOT, encoding: 'utf8' })) as Record<string, unknown>;
    expect(made.key_ops).toEqual(['verify']);
    const next: Record<string, unknown> = { ...made, kid: 'next' };
    delete next.key_ops;
    // Step 1: the new key is published everywhere (key_ops verify: never signs) while the old one signs.
    const a = await start({ jwks: [old, { ...next, key_ops: ['verify'] }] });
    let b = await start({ jwks: [old, { ...next, key_ops: ['verify'] }] });
    for (const r of [a, b]) {
      const published = (await (await fetch(`${r.url}/jwks`)).json()) as { keys: { kid: string }[] };
      expect(published.keys.map((k) => k.kid).sort()).toEqual(['next', 'old']);
    }
    expect(decodeProtectedHeader(await idTokenFrom(b)).kid).toBe('old');
    // Step 2: B restarts signing with the new key, the old one published only; A has not restarted yet.
    await b.close();
    running.splice(running.indexOf(b), 1);
    b = await start({ jwks: [next, { ...old, key_ops: ['verify'] }] });
    const fromB = await idTokenFrom(b);
    const fromA = await idTokenFrom(a);
    expect(decodeProtectedHeader(fromB).kid).toBe('next');
    expect(decodeProtectedHeader(fromA).kid).toBe('old');
    // Each instance's token verifies against the other instance's published keys.
    await jwtVerify(fromB, createRemoteJWKSet(new URL(`${a.url}/jwks`)));
    await jwtVerify(fromA, createRemoteJWKSet(new URL(`${b.url}/jwks`)));
  });
});

describe('the config file seeds once', () => {
  it('keeps what administrators changed through the API across restarts, and `oidc-tap config import` applies the file on purpose', async () => {
    let a = await start();
    const token = await appToken(a.url, 'ops-admin', 'ops-admin-secret-0123456789', SCOPE);
    expect((await graph(a.url, token, 'PATCH', POLICY, { defaultLifetimeInMinutes: 90 })).status).toBe(204);
    expect((await graph(a.url, token, 'PATCH', '/users/jdoe@contoso.com', { displayName: 'Jane Renamed' })).status).toBe(204);
    expect((await graph(a.url, token, 'DELETE', '/users/gone@contoso.com')).status).toBe(204);

    // Restart, and a second instance started afterwards: both from the same config file.
    await a.close();
    running.splice(running.indexOf(a), 1);
    a = await start();
    const b = await start();
    for (const r of [a, b]) {
      const t = await appToken(r.url, 'ops-admin', 'ops-admin-secret-0123456789', SCOPE);
      expect((await graph(r.url, t, 'GET', POLICY)).body.defaultLifetimeInMinutes).toBe(90);
      expect((await graph(r.url, t, 'GET', '/users/jdoe@contoso.com')).body.displayName).toBe('Jane Renamed');
      expect((await graph(r.url, t, 'GET', '/users/gone@contoso.com')).status).toBe(404);
    }

    const out = execFileSync(process.execPath, ['dist/cli.js', 'config', 'import'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: redis.url, CONFIG: configFile, TAP_SECRET: 'instances-tap-secret-0123456789-0123456789', COOKIE_KEYS: 'instances-cookie-key-0123456789', DATA_DIR: work },
      encoding: 'utf8',
    });
    expect(out).toContain('imported 3 users and the TAP policy');
    const t = await appToken(a.url, 'ops-admin', 'ops-admin-secret-0123456789', SCOPE);
    expect((await graph(a.url, t, 'GET', POLICY)).body.defaultLifetimeInMinutes).toBe(60);
    expect((await graph(a.url, t, 'GET', '/users/jdoe@contoso.com')).body.displayName).toBe('Jane Doe');
    expect((await graph(a.url, t, 'GET', '/users/gone@contoso.com')).status).toBe(200);
  });
});
