/**
 * What a flood of anonymous password posts costs the server, and whether another user's sign-in step still
 * answers meanwhile (docs/benchmarks.md, "Password flood"). Needs `npm run build` first:
 *
 *   npm run build && node bench/passwordFlood.ts [--duration S] [--rate N] [--addresses N]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startNode, startRedis, writeBenchFiles } from './processes.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, rate: { type: 'string', default: '100' }, addresses: { type: 'string', default: '256' } },
});
const DURATION_MS = Number(values.duration) * 1000;
const RATE = Number(values.rate);
const ADDRESSES = Number(values.addresses);
const CLIENT = { id: 'bench-rp', secret: 'bench-rp-secret-0123456789', redirectUri: 'http://127.0.0.1:9/cb' };

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const quantile = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : NaN);

/** A browser of one sign-in: an interaction of its own, its cookies. */
async function interaction(base: string): Promise<{ uid: string; cookie: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    client_id: CLIENT.id,
    redirect_uri: CLIENT.redirectUri,
    response_type: 'code',
    scope: 'openid',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const res = await fetch(`${base}/auth?${q}`, { redirect: 'manual' });
  await res.text();
  const uid = /\/interaction\/([^/?#]+)/.exec(res.headers.get('location') ?? '')?.[1];
  if (!uid) throw new Error(`no interaction: ${res.status}`);
  return { uid, cookie: res.headers.getSetCookie().map((c) => c.split(';', 1)[0]).join('; ') };
}

async function post(base: string, i: { uid: string; cookie: string }, step: string, form: Record<string, string>, from?: string): Promise<number> {
  const res = await fetch(`${base}/interaction/${i.uid}/${step}`, {
    method: 'POST',
    headers: { cookie: i.cookie, 'content-type': 'application/x-www-form-urlencoded', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  await res.text();
  return res.status;
}

async function hashesRun(base: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('oidc_tap_password_hashes_total '));
  return line ? Number(line.split(' ')[1]) : undefined;
}

/** Identifier steps of real users (a hundred, so that the per-account limit never refuses them), one after another, until `until`; their times (ms). */
async function identifierSteps(base: string, until: () => boolean): Promise<number[]> {
  const times: number[] = [];
  do {
    const i = await interaction(base);
    const t0 = performance.now();
    const status = await post(base, i, 'identifier', { username: `real${times.length % 100}@bench.test` }, `192.0.2.${times.length % 250}`);
    if (status !== 200) throw new Error(`identifier step answered ${status}`);
    times.push(performance.now() - t0);
  } while (!until());
  return times;
}

/**
 * Password posts with made-up names at a steady `rate` per second for the duration, whatever the answers take
 * (an open loop: an attacker does not wait), from `addresses` addresses; meanwhile real users' identifier steps.
 */
async function flood(base: string, pid: number, addresses: number, rate: number) {
  const interactions = await Promise.all(Array.from({ length: 32 }, () => interaction(base)));
  const statuses = new Map<number | string, number>();
  const count = (k: number | string): void => void statuses.set(k, (statuses.get(k) ?? 0) + 1);
  const hashesBefore = await hashesRun(base);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const end = t0 + DURATION_MS;
  const sampler = identifierSteps(base, () => performance.now() >= end);
  const sent: Promise<void>[] = [];
  let inFlight = 0;
  for (let k = 0; performance.now() < end; k++) {
    const due = t0 + (k * 1000) / rate;
    if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    // Bounded, so that the driver itself stays within the machine: posts beyond this many unanswered are skipped.
    if (inFlight >= 2000) {
      count('skipped');
      continue;
    }
    inFlight++;
    const from = `198.18.${(k % addresses) >> 8}.${(k % addresses) & 255}`;
    sent.push(
      post(base, interactions[k % interactions.length]!, 'method/password', { username: `nobody${k}@bench.test`, password: 'guess' }, from)
        .then(count, () => count('error'))
        .finally(() => inFlight--),
    );
  }
  await Promise.all(sent);
  const seconds = (performance.now() - t0) / 1000;
  const cores = (cpuSeconds(pid) - cpu0) / seconds;
  const hashesAfter = await hashesRun(base);
  const samples = await sampler;
  return {
    addresses,
    rate,
    seconds: Number(seconds.toFixed(1)),
    statuses: Object.fromEntries(statuses),
    hashes: hashesAfter !== undefined && hashesBefore !== undefined ? hashesAfter - hashesBefore : (statuses.get(400) ?? 0),
    serverCores: Number(cores.toFixed(2)),
    identifierStepMs: { median: Math.round(quantile(samples, 0.5)), p95: Math.round(quantile(samples, 0.95)), n: samples.length },
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-flood-'));
const redis = await startRedis(path.join(dir, 'redis'), false);
const files = writeBenchFiles({ dir, users: Array.from({ length: 100 }, (_, k) => `real${k}@bench.test`), client: CLIENT, service: { id: 'bench-svc', secret: 'bench-svc-secret-0123456789' } });
const server = await startNode('oidc-tap', 'dist/main.js', (port) => ({ ...files.env, REDIS_URL: redis.url, ISSUER: `http://127.0.0.1:${port}`, TRUST_PROXY: '1' }), '/readyz');
try {
  const idle = await identifierSteps(server.url, (() => {
    let k = 0;
    return () => ++k >= 50;
  })());
  console.log(JSON.stringify({ idle: { identifierStepMs: { median: Math.round(quantile(idle, 0.5)), p95: Math.round(quantile(idle, 0.95)) } } }));
  console.log(JSON.stringify({ oneAddress: await flood(server.url, server.pid, 1, RATE) }));
  console.log(JSON.stringify({ manyAddresses: await flood(server.url, server.pid, ADDRESSES, RATE) }));
} finally {
  await server.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
