import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../src/store/connectRedis.js';
import { freePort } from '../src/store/startEmbeddedRedis.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { startRestartableRedis, type RestartableRedis } from './support/redis.js';
import { redeem, relyingParty, signIn } from './support/rp.js';
import { TEST_CLIENT } from './support/testServer.js';

/**
 * Acceptance: two server processes of one deployment under mixed load (TAP sign-ins, token refreshes, admin API
 * calls) while their Redis is stopped and started again twice. Outside the outages nothing fails; during them every
 * answer is a clean 503 in bounded time; afterwards nothing is lost and memory is flat.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const WARM_UP_MS = 10_000;
const OUTAGE_MS = 4_000;
const BETWEEN_MS = 15_000;
const WORKERS_PER_SERVER = 3;
/** Time after Redis is back during which an answer still counts as part of the outage (reconnect, AOF load). */
const RECOVERY_GRACE_MS = 1_500;
const API_SCOPE = 'User.ReadWrite.All UserAuthMethod-TAP.ReadWrite.All Policy.ReadWrite.AuthenticationMethod';
const POLICY = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';

interface Sample {
  start: number;
  end: number;
  status: number;
  method: string;
  url: string;
  error?: string;
}

interface Server {
  url: string;
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
  rp: client.Configuration;
  token: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Every HTTP request the test makes (the Browser helper, openid-client and the Graph helper all use fetch).
const samples: Sample[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const start = Date.now();
  try {
    const res = await realFetch(input, init);
    samples.push({ start, end: Date.now(), status: res.status, method, url });
    return res;
  } catch (e) {
    const cause = (e as Error).cause as Error | undefined;
    samples.push({ start, end: Date.now(), status: 0, method, url, error: `${(e as Error).message}: ${cause?.message ?? ''}` });
    throw e;
  }
};

let redis: RestartableRedis;
let work: string;
let receiver: http.Server;
let receiverUrl: string;
let received = 0;
const servers: Server[] = [];

async function startServerProcess(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  // A capped heap makes the garbage collector keep it near what is live, so a leak would end the process (which
  // the test checks) instead of hiding in lazily collected garbage.
  const child = spawn(process.execPath, ['--max-old-space-size=128', 'dist/main.js'], { cwd: ROOT, env: { ...env, PORT: String(port) } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://localhost:${port}`;
  const until = Date.now() + 30_000;
  while (!out.includes('"msg":"listening"')) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
    await sleep(100);
  }
  const rp = await relyingParty(url);
  const token = await appToken(url, 'soak-admin', 'soak-admin-secret-0123456789', API_SCOPE);
  return { url, child, out: () => out, exited, rp, token };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'oidc-tap-soak-'));
  redis = await startRestartableRedis();
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://localhost:${(receiver.address() as AddressInfo).port}/ssf`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwksFile = path.join(work, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'soak', alg: 'RS256', use: 'sig' }] }));
  const configFile = path.join(work, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      clients: [TEST_CLIENT, apiClient('soak-admin', 'soak-admin-secret-0123456789', API_SCOPE.split(' '))],
      users: [{ userPrincipalName: 'admin@contoso.com', displayName: 'Ada Admin', roles: ['GlobalAdministrator'] }],
      tapPolicy: { state: 'enabled', minimumLifetimeInMinutes: 10 },
      securityEvents: { url: receiverUrl, backoffMs: 200, timeoutMs: 2000 },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redis.url,
    CONFIG: configFile,
    TAP_SECRET: 'soak-tap-secret-0123456789-0123456789',
    COOKIE_KEYS: 'soak-cookie-key-0123456789',
    JWKS_FILE: jwksFile,
    DATA_DIR: work,
  };
  delete env.ISSUER;
  for (let i = 0; i < 2; i++) servers.push(await startServerProcess(env));
});

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await redis?.destroy();
  await new Promise((r) => receiver?.close(r));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What the load created and was told was created (201), to be found again afterwards. */
interface Created {
  userId: string;
  upn: string;
  tapId: string;
  passcode: string;
}

async function memory(s: Server): Promise<{ rss: number; heap: number }> {
  const text = await (await realFetch(`${s.url}/metrics`)).text();
  const num = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)![1]);
  return { rss: num('oidc_tap_process_resident_memory_bytes'), heap: num('oidc_tap_process_heap_used_bytes') };
}

async function allReady(): Promise<boolean> {
  const answers = await Promise.all(servers.map((s) => realFetch(`${s.url}/readyz`).then((r) => r.status, () => 0)));
  return answers.every((st) => st === 200);
}

describe('soak: two servers under mixed load while Redis restarts twice', () => {
  it('answers 503 only during the outages, recovers by itself, loses nothing and keeps its memory flat', async () => {
    const created: Created[] = [];
    const pools: string[][] = servers.map(() => []);
    /** Refresh tokens set aside untouched, with the phase (0 = before the first outage) they were issued in. */
    const pinned: { server: number; token: string; phase: number }[] = [];
    const windows: { from: number; to: number }[] = [];
    const recoveries: number[] = [];
    let phase = 0;
    let running = true;
    let seq = 0;
    const counts = { admin: 0, signIn: 0, refresh: 0, read: 0 };

    async function adminOp(si: number) {
      const s = servers[si]!;
      const n = ++seq;
      const upn = `soak-${n}@contoso.com`;
      const user = await graph(s.url, s.token, 'POST', '/users', { accountEnabled: true, displayName: `Soak ${n}`, mailNickname: `soak${n}`, userPrincipalName: upn });
      if (user.status !== 201) return;
      const tap = await graph(s.url, s.token, 'POST', `/users/${user.body.id as string}/authentication/temporaryAccessPassMethods`, {
        lifetimeInMinutes: 60,
        isUsableOnce: false,
      });
      if (tap.status !== 201) return;
      created.push({ userId: user.body.id as string, upn, tapId: tap.body.id as string, passcode: tap.body.temporaryAccessPass as string });
      counts.admin++;
    }

    async function signInOp(si: number) {
      const s = servers[si]!;
      const who = created[Math.floor(Math.random() * created.length)];
      if (!who) return adminOp(si);
      const flow = await signIn(s.rp, who.upn, { tap: who.passcode });
      if (!flow.callback) return;
      const tokens = await redeem(s.rp, flow);
      counts.signIn++;
      // The first few of each phase are kept untouched, to be used once the outages are over.
      if (pinned.filter((p) => p.phase === phase).length < 4) pinned.push({ server: si, token: tokens.refresh_token!, phase });
      else pools[si]!.push(tokens.refresh_token!);
    }

    async function refreshOp(si: number) {
      const token = pools[si]!.shift();
      if (!token) return signInOp(si);
      // Rotation: a refresh cut short by an outage may burn the old token, so a failed one is not put back.
      const tokens = await client.refreshTokenGrant(servers[si]!.rp, token);
      pools[si]!.push(tokens.refresh_token!);
      counts.refresh++;
    }

    async function readOp(si: number) {
      const s = servers[si]!;
      const page = await graph(s.url, s.token, 'GET', '/users?$top=5');
      if (page.status === 200) counts.read++;
    }

    async function worker(si: number) {
      while (running) {
        const r = Math.random();
        try {
          if (r < 0.3) await adminOp(si);
          else if (r < 0.6) await signInOp(si);
          else if (r < 0.85) await refreshOp(si);
          else await readOp(si);
        } catch {
          // An outage breaks flows half-way; what each request got is judged from the samples below.
          await sleep(50);
        }
      }
    }

    async function outage() {
      const from = Date.now();
      await redis.stop();
      await sleep(OUTAGE_MS);
      await redis.start();
      const back = Date.now();
      while (!(await allReady())) {
        if (Date.now() - back > 15_000) throw new Error('the servers did not recover within 15 s of Redis');
        await sleep(25);
      }
      recoveries.push(Date.now() - back);
      windows.push({ from, to: Date.now() + RECOVERY_GRACE_MS });
      phase++;
    }

    // Something lasting to find after the restarts besides what the load makes: a passkey and a policy change.
    const direct = connectRedis(redis.url);
    const admin = await graph(servers[0]!.url, servers[0]!.token, 'GET', '/users/admin@contoso.com');
    const passkey = await seedPasskey(direct, admin.body.id as string, 'Soak key');
    direct.disconnect();
    expect((await graph(servers[0]!.url, servers[0]!.token, 'PATCH', POLICY, { defaultLifetimeInMinutes: 90 })).status).toBe(204);

    const load = Promise.all(servers.flatMap((_, si) => Array.from({ length: WORKERS_PER_SERVER }, () => worker(si))));
    await sleep(WARM_UP_MS);
    const warm = await Promise.all(servers.map(memory));
    await outage();
    await sleep(BETWEEN_MS);
    await outage();
    await sleep(BETWEEN_MS);
    running = false;
    await load;
    const final = await Promise.all(servers.map(memory));

    // Both processes lived through it, and every error they met was classified (no "unhandled", no 500 logged).
    for (const s of servers) {
      expect(s.child.exitCode).toBeNull();
      expect(s.out()).not.toMatch(/"msg":"(unhandled|graph\.error)"/);
      expect(s.out()).toContain('"msg":"redis.unavailable"');
      expect(s.out()).toContain('"msg":"redis.ready"');
    }

    // Load really ran in every phase and through every kind of operation.
    expect(counts.admin).toBeGreaterThan(20);
    expect(counts.signIn).toBeGreaterThan(20);
    expect(counts.refresh).toBeGreaterThan(20);
    expect(counts.read).toBeGreaterThan(5);
    expect(new Set(pinned.map((p) => p.phase))).toEqual(new Set([0, 1, 2]));

    const inOutage = (x: Sample) => windows.some((w) => x.end >= w.from && x.start <= w.to);
    const ours = samples.filter((x) => servers.some((s) => x.url.startsWith(s.url)));
    const outside = ours.filter((x) => !inOutage(x));
    const during = ours.filter(inOutage);
    // Outside the outages: no 5xx and no failed connection.
    expect(outside.filter((x) => x.status === 0 || x.status >= 500).map((x) => `${x.status} ${x.method} ${x.url} ${x.error ?? ''}`)).toEqual([]);
    // During them: 503 or an ordinary answer, never a 500 or a reset connection, and never a wait beyond 3 s.
    expect(during.filter((x) => x.status === 0 || (x.status >= 500 && x.status !== 503)).map((x) => `${x.status} ${x.method} ${x.url} ${x.error ?? ''}`)).toEqual([]);
    expect(during.filter((x) => x.end - x.start > 3_000).map((x) => `${x.end - x.start} ms ${x.method} ${x.url}`)).toEqual([]);
    for (const w of windows) expect(during.filter((x) => x.status === 503 && x.end >= w.from && x.start <= w.to).length).toBeGreaterThan(0);
    // "Within seconds": typically 0.1–2 s (reconnection every 0.5 s, then Redis loads its AOF); generous for a busy CI.
    for (const ms of recoveries) expect(ms).toBeLessThan(5_000);

    // Nothing lost: every user and TAP the API acknowledged, the passkey, the policy change.
    const s0 = servers[0]!;
    for (let i = 0; i < created.length; i += 20) {
      await Promise.all(
        created.slice(i, i + 20).map(async (c) => {
          expect((await graph(s0.url, s0.token, 'GET', `/users/${c.userId}`)).status, c.upn).toBe(200);
          const tap = await graph(s0.url, s0.token, 'GET', `/users/${c.userId}/authentication/temporaryAccessPassMethods/${c.tapId}`);
          expect(tap.status, `TAP of ${c.upn}`).toBe(200);
        }),
      );
    }
    const keys = await graph(s0.url, s0.token, 'GET', '/users/admin@contoso.com/authentication/fido2Methods');
    expect((keys.body.value ?? []).map((k) => k.id)).toContain(passkey.id);
    expect((await graph(s0.url, s0.token, 'GET', POLICY)).body.defaultLifetimeInMinutes).toBe(90);
    // Refresh tokens issued before and between the outages, untouched since, still work.
    for (const p of pinned) {
      const tokens = await client.refreshTokenGrant(servers[p.server]!.rp, p.token);
      expect(tokens.access_token).toBeTruthy();
    }

    // The security-event loops survived: a new TAP's event reaches the receiver.
    const before = received;
    const last = created.at(-1)!;
    expect((await graph(s0.url, s0.token, 'DELETE', `/users/${last.userId}/authentication/temporaryAccessPassMethods/${last.tapId}`)).status).toBe(204);
    const until = Date.now() + 10_000;
    while (received === before && Date.now() < until) await sleep(100);
    expect(received).toBeGreaterThan(before);

    // Memory is flat: after two outages and the rest of the load, no more than a generous margin over warm-up.
    for (let i = 0; i < servers.length; i++) {
      expect(final[i]!.rss, `rss of server ${i}: ${warm[i]!.rss} → ${final[i]!.rss}`).toBeLessThan(warm[i]!.rss * 1.5 + 64 * 1024 * 1024);
    }

    // And each one shuts down cleanly.
    for (const s of servers) s.child.kill('SIGTERM');
    for (const s of servers) expect(await s.exited).toBe(0);

    const outageSamples = during.filter((x) => x.status === 503);
    const latencies = outageSamples.map((x) => x.end - x.start).sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        requests: ours.length,
        counts,
        created: created.length,
        recoveriesMs: recoveries,
        outage503s: outageSamples.length,
        outage503LatencyMs: { p50: latencies[Math.floor(latencies.length / 2)], max: latencies.at(-1) },
        rssMB: warm.map((w, i) => `${Math.round(w.rss / 2 ** 20)} → ${Math.round(final[i]!.rss / 2 ** 20)}`),
        heapMB: warm.map((w, i) => `${Math.round(w.heap / 2 ** 20)} → ${Math.round(final[i]!.heap / 2 ** 20)}`),
      }),
    );
  }, 180_000);
});
