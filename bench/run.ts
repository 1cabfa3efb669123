/**
 * npm run bench: sign-in throughput and latency of oidc-tap, side by side with stock oidc-provider, on one
 * machine. See docs/benchmarks.md for the method and the numbers.
 *
 *   npm run bench -- [--duration S] [--warmup S] [--runs N] [--concurrency N] [--profile] [--aof] [--no-cluster] …
 */
import { randomInt } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { summariseProfile, type ProfileSummary } from './cpuProfile.ts';
import { clientCredentials, passkeySignIn, refresh, registerPasskey, stockSignIn, tapSignIn, type Target, type Tokens } from './flows.ts';
import { issueTaps, measureRecordMemory, type IssuedTap } from './issueTaps.ts';
import { closedLoop, fixedCount, openLoop, type LoadResult, type Operation } from './load.ts';
import { measureFlowCost, type FlowCost } from './measureRedis.ts';
import { ROOT, benchOptions, startNode, startRedis, writeBenchFiles, type BenchFiles, type Child } from './processes.ts';
import { Recorder, summarise, type LatencySummary } from './Recorder.ts';
import { RedisCpu, type CpuSample } from './RedisCpu.ts';
import { RedisProbe } from './RedisProbe.ts';
import { startTestCluster } from './startTestCluster.ts';
import { SoftAuthenticator, type SoftCredential } from '../test/support/SoftAuthenticator.ts';
import { evaluatePreviousTargets, evaluateTargets, printReport, type CpuMsPerFlow, type CpuPerFlow, type Ratio, type Report, type ScenarioResult } from './report.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '3' },
    warmup: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    'tap-users': { type: 'string', default: '300' },
    'passkey-users': { type: 'string', default: '60' },
    sequential: { type: 'string', default: '20' },
    'memory-records': { type: 'string', default: '20000' },
    profile: { type: 'boolean', default: false },
    'profile-flow': { type: 'string', default: 'sign-in' },
    aof: { type: 'boolean', default: false },
    'no-scale': { type: 'boolean', default: false },
    'no-durability': { type: 'boolean', default: false },
    'cost-only': { type: 'boolean', default: false },
    // The Cluster part runs unless --no-cluster; --cluster is accepted for symmetry.
    cluster: { type: 'boolean', default: false },
    'no-cluster': { type: 'boolean', default: false },
    'cluster-flows': { type: 'string', default: '600' },
    trace: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench/results/latest.json') },
  },
});
const num = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bench: --${name} must be a positive number`);
  return n;
};
const settings = {
  durationMs: num('duration') * 1000,
  warmupMs: num('warmup') * 1000,
  /** Every load scenario runs once for this long, unrecorded, before run 1: JIT, pools and caches warm. */
  warmupPassMs: Math.max(2000, 2 * num('warmup') * 1000),
  runs: Math.round(num('runs')),
  concurrency: Math.round(num('concurrency')),
  tapUsers: Math.round(num('tap-users')),
  passkeyUsers: Math.round(num('passkey-users')),
  sequential: Math.round(num('sequential')),
  memoryRecords: Math.round(num('memory-records')),
  clusterFlows: Math.round(num('cluster-flows')),
  profile: args.profile,
  aof: args.aof,
};

if (!existsSync(path.join(ROOT, 'dist/main.js'))) throw new Error('bench: dist/ is missing; run npm run build (npm run bench does)');

const started = Date.now();
const log = (msg: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
const children: Child[] = [];
const pools: Pool[] = [];
const probes: RedisProbe[] = [];
/** Whatever else must stop at the end (the Cluster). */
const stoppers: (() => Promise<void>)[] = [];
const work = path.join(ROOT, 'bench/results', `run-${process.pid}`);

/** The least time the half-load latency runs, whatever --duration says. */
const HALF_LOAD_MIN_MS = 10_000;
/** Onboardings run unmeasured on the server with the durability option first: it starts cold, the other is warm. */
const DURABILITY_WARMUP = 8;
const CLIENT = { id: 'bench-app', secret: 'bench-app-secret', redirectUri: 'http://localhost:8080/callback' };
const SERVICE = { id: 'bench-service', secret: 'bench-service-secret' };
const upns = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}@bench.test`);

function target(server: Child, issuer: string): Target {
  const pool = new Pool(server.url, { connections: settings.concurrency, keepAliveTimeout: 30_000 });
  pools.push(pool);
  return { pool, issuer, client: CLIENT, service: SERVICE };
}

/** Run `fn` over `items`, `parallel` at a time. */
async function eachLimited<T, R>(items: T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** Every step of every flow, in flow order (a run's recording starts mid-flow, so first-seen order is not it). */
const STEP_ORDER = ['authorize', 'identifier page', 'login page', 'identifier', 'tap', 'login', 'resume (login)', 'consent page', 'consent', 'register page', 'register', 'confirm page', 'confirm', 'skip', 'passkey', 'resume', 'token', 'refresh', 'client_credentials'];

/** Refresh tokens collected from sign-ins, per deployment, for the refresh scenarios. */
class TokenBag {
  readonly tokens: string[] = [];
  keep = (t: Tokens) => {
    if (t.refresh_token) {
      this.tokens.push(t.refresh_token);
      if (this.tokens.length > 4 * settings.concurrency) this.tokens.shift();
    }
  };
}

/** A load result with the CPU redis-server used meanwhile (cores), and each process's CPU per flow. */
type Measured = LoadResult & { redisCpuCores?: number; cpuMsPerFlow?: CpuMsPerFlow };

/**
 * Collect the driver's own garbage before a measurement (npm run bench passes --expose-gc): it keeps every sample
 * of every run, and a major collection of that heap during a measurement stalls the driver, not the server, and
 * would be counted as the server's latency.
 */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Run a load, and measure meanwhile the CPU that redis-server used (in cores, from INFO) and the CPU each
 * process used per flow: the servers (whichever one served it; the idle ones add a few hundredths), redis-server
 * and the driver. On a machine the three share, throughput is what their sum allows; the server's share is what
 * a change of ours moves, and it is steadier from run to run than the rate (issue #18).
 */
async function measured(probe: RedisProbe, load: () => Promise<LoadResult>): Promise<Measured> {
  collectGarbage();
  const cpu = async () => {
    const i = await probe.info('cpu');
    return Number(i.used_cpu_user) + Number(i.used_cpu_sys);
  };
  const c0 = await cpu();
  const before = children.map((c) => processCpuMs(c.pid));
  const self = process.cpuUsage();
  const t0 = performance.now();
  const r = await load();
  const seconds = (performance.now() - t0) / 1000;
  const driver = process.cpuUsage(self);
  const cores = (await cpu()) - c0;
  // The CPU covers the warm-up and the flows finishing after the window too: flows at the measured rate over the
  // whole time, not only the window's.
  const flows = r.perSecond * seconds;
  const used = children.map((c, i) => ({ redis: c.name.startsWith('redis'), ms: processCpuMs(c.pid) - before[i]! }));
  const perFlow = (ms: number) => Math.round((100 * ms) / flows) / 100;
  return {
    ...r,
    redisCpuCores: Math.round((100 * cores) / seconds) / 100,
    ...(flows > 0
      ? {
          cpuMsPerFlow: {
            server: perFlow(used.filter((u) => !u.redis).reduce((a, u) => a + u.ms, 0)),
            redis: perFlow(used.filter((u) => u.redis).reduce((a, u) => a + u.ms, 0)),
            driver: perFlow((driver.user + driver.system) / 1000),
          },
        }
      : {}),
  };
}

/** User and system CPU a process has used, in ms (Linux /proc; 0 elsewhere, and the figures then read 0). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of proc_pid_stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

const cpuLine = (c: CpuMsPerFlow | undefined) => (c ? `CPU ms/flow: server ${c.server}, redis ${c.redis}, driver ${c.driver}` : '');

function scenarioResult(runs: Measured[]): ScenarioResult {
  const rates = runs.map((r) => r.perSecond).sort((a, b) => a - b);
  const stepNames = [...new Set(runs.flatMap((r) => [...r.recorder.steps.keys()]))].sort((a, b) => STEP_ORDER.indexOf(a) - STEP_ORDER.indexOf(b));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const steps: Record<string, LatencySummary> = {};
  for (const s of stepNames) {
    const per = runs.map((r) => summarise(r.recorder.steps.get(s) ?? []));
    steps[s] = {
      count: per.reduce((a, p) => a + p.count, 0),
      p50: median(per.map((p) => p.p50)),
      p95: median(per.map((p) => p.p95)),
      p99: median(per.map((p) => p.p99)),
      max: Math.max(...per.map((p) => p.max)),
    };
  }
  return {
    perSecond: runs.map((r) => Math.round(r.perSecond * 10) / 10),
    median: Math.round(median(rates) * 10) / 10,
    min: Math.round(rates[0]! * 10) / 10,
    max: Math.round(rates.at(-1)! * 10) / 10,
    errors: runs.reduce((a, r) => a + r.errors, 0),
    errorSamples: [...new Set(runs.flatMap((r) => r.recorder.errorSamples))].slice(0, 3),
    steps,
    ...(runs.every((r) => r.redisCpuCores !== undefined) ? { redisCpuCores: median(runs.map((r) => r.redisCpuCores!)) } : {}),
    ...(runs.every((r) => r.cpuMsPerFlow)
      ? {
          cpuMsPerFlow: {
            server: median(runs.map((r) => r.cpuMsPerFlow!.server)),
            redis: median(runs.map((r) => r.cpuMsPerFlow!.redis)),
            driver: median(runs.map((r) => r.cpuMsPerFlow!.driver)),
          },
        }
      : {}),
  };
}

async function main(): Promise<void> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tapUpns = upns('tap', settings.tapUsers);
  const pkUpns = upns('pk', settings.passkeyUsers);
  const seqUpns = upns('seq', 2 * settings.sequential);
  // Onboardings with and without the durability option (REDIS_WAIT_REPLICAS), each on users of its own.
  const durUpns = args['no-durability'] ? [] : upns('dur', 2 * settings.passkeyUsers + DURABILITY_WARMUP);
  const files = writeBenchFiles({ dir: work, users: [...tapUpns, ...pkUpns, ...seqUpns, ...durUpns], client: CLIENT, service: SERVICE, options: await benchOptions() });

  log(`redis-server${settings.aof ? ' (AOF on)' : ''}`);
  const redis = await startRedis(path.join(work, 'redis'), settings.aof);
  children.push(redis);
  const probe = await RedisProbe.open(redis.url);
  probes.push(probe);
  const redisVersion = (await probe.info('server')).redis_version ?? '?';

  const nodeArgs = (name: string) => (settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(work, 'prof', name)}`] : []);
  log('oidc-tap server (imports the users)');
  const ours = await startNode('oidc-tap', 'dist/main.js', (port) => ({ ...files.env, REDIS_URL: redis.url, ISSUER: `http://localhost:${port}` }), '/healthz', nodeArgs('oidc-tap'));
  children.push(ours);
  const issuer = `http://localhost:${ours.port}`;
  const userCount = tapUpns.length + pkUpns.length + seqUpns.length + durUpns.length;

  log('stock oidc-provider server');
  const stock = await startNode('baseline', 'bench/baselineServer.ts', (port) => ({ ...files.env, REDIS_URL: redis.url, ISSUER: `http://localhost:${port}` }), '/.well-known/openid-configuration', nodeArgs('stock'));
  children.push(stock);
  const oursT = target(ours, issuer);
  const stockT = target(stock, `http://localhost:${stock.port}`);

  log(`issuing ${userCount} TAPs`);
  const issued = await issueTaps(redis.url, files.env.TAP_SECRET!, [...tapUpns, ...pkUpns, ...seqUpns, ...durUpns], 480);
  const byUpn = new Map(issued.map((t) => [t.upn, t]));
  const tapUsers = tapUpns.map((u) => byUpn.get(u)!);
  const tapKeyBytes = await Promise.all(tapUsers.slice(0, 50).map((t) => probe.memoryUsage(`tap:{u:${t.userId}}`)));
  const userKeyBytes = await Promise.all(
    tapUsers.slice(0, 50).map(async (t) => (await probe.memoryUsage(`user:{u:${t.userId}}`)) + (await probe.memoryUsage(`upn:{n:${t.upn}}`))),
  );

  if (settings.profile) return profileOnly(oursT, stockT, tapUsers, ours, stock);

  // Onboarding: every passkey user signs in with their TAP and registers a passkey.
  log(`registering ${pkUpns.length} passkeys (TAP sign-in, register, confirm)`);
  const authenticator = new SoftAuthenticator(issuer);
  const onboardingRec = new Recorder();
  onboardingRec.recording = true;
  const t0 = performance.now();
  const credentials: SoftCredential[] = await eachLimited(pkUpns, Math.min(8, settings.concurrency), (u) =>
    registerPasskey(oursT, onboardingRec, byUpn.get(u)!, authenticator),
  );
  const onboardingPerSecond = pkUpns.length / ((performance.now() - t0) / 1000);
  const passkeyBytes = await Promise.all(
    credentials.slice(0, 50).map(async (c) => {
      const userId = byUpn.get(pkUpns[credentials.indexOf(c)]!)!.userId;
      return (await probe.memoryUsage(`pk:{u:${userId}}`)) + (await probe.memoryUsage(`cred:{c:${c.id}}`));
    }),
  );
  const randomCredential = () => credentials[randomInt(credentials.length)]!;
  const randomTapUser = () => tapUsers[randomInt(tapUsers.length)]!;

  // Redis commands, round trips and memory per flow, one flow at a time.
  log(`Redis cost per flow (${settings.sequential} flows of each kind, one at a time, MONITOR on)`);
  const seqTap = seqUpns.slice(0, settings.sequential).map((u) => byUpn.get(u)!);
  const seqReg = seqUpns.slice(settings.sequential).map((u) => byUpn.get(u)!);
  const oursBag = new TokenBag();
  const stockBag = new TokenBag();
  const seqAuth = new SoftAuthenticator(issuer);
  const cost: Record<string, FlowCost> = {
    stock: await measureFlowCost(probe, settings.sequential, (rec) => stockSignIn(stockT, rec, `seq-${randomInt(1e9)}`).then(stockBag.keep)),
    tap: await measureFlowCost(probe, settings.sequential, (rec, i) => tapSignIn(oursT, rec, seqTap[i]!).then(oursBag.keep)),
    passkey: await measureFlowCost(probe, settings.sequential, (rec) => passkeySignIn(oursT, rec, authenticator, randomCredential()).then(oursBag.keep)),
    onboarding: await measureFlowCost(probe, settings.sequential, (rec, i) => registerPasskey(oursT, rec, seqReg[i]!, seqAuth)),
  };
  const oneRefresh = oursBag.tokens.slice();
  const stockRefresh = stockBag.tokens.slice();
  cost.refresh = await measureFlowCost(probe, Math.min(settings.sequential, oneRefresh.length), (rec, i) => refresh(oursT, rec, oneRefresh[i]!).then(() => undefined));
  cost.stockRefresh = await measureFlowCost(probe, Math.min(settings.sequential, stockRefresh.length), (rec, i) => refresh(stockT, rec, stockRefresh[i]!).then(() => undefined));
  cost.clientCredentials = await measureFlowCost(probe, settings.sequential, (rec) => clientCredentials(oursT, rec));
  oursBag.tokens.length = 0;
  stockBag.tokens.length = 0;
  if (args.trace) printTrace(cost);
  if (args['cost-only']) return printCost(cost);

  // The ceiling: stock oidc-provider on its in-memory store, no Redis at all.
  log('stock oidc-provider server, in-memory store');
  const stockMem = await startNode('baseline-memory', 'bench/baselineServer.ts', (port) => ({ ...files.env, BASELINE_STORE: 'memory', ISSUER: `http://localhost:${port}` }), '/.well-known/openid-configuration');
  children.push(stockMem);
  const stockMemT = target(stockMem, `http://localhost:${stockMem.port}`);
  const stockMemBag = new TokenBag();

  /**
   * Latency of `op` at `rate` flows per second, arrivals at a steady rate (half of a run's maximum). A p99 wants a
   * thousand samples or so: 3 s at ~100/s gave 300, whose p99 was the third-worst flow.
   */
  const halfLoadOf =
    (op: Operation) =>
    (rate: number): Promise<LoadResult> => {
      collectGarbage();
      return openLoop(op, rate, { warmupMs: settings.warmupMs, durationMs: Math.max(settings.durationMs, HALF_LOAD_MIN_MS) });
    };
  const atHalfLoad = halfLoadOf((rec) => tapSignIn(oursT, rec, randomTapUser()).then(() => undefined));
  // Stock's sign-in at half of its own maximum: its login step (the credentials' post, as the TAP step is ours) is
  // the comparator, what this machine's tail is for a server that adds nothing.
  const stockAtHalfLoad = halfLoadOf((rec) => stockSignIn(stockT, rec, `acct-${randomInt(1e9)}`).then(() => undefined));
  const quick = args.only?.split(',').map((w) => w.trim()).filter(Boolean);
  log(`memory of ${settings.memoryRecords} users and their TAPs`);
  const recordMemory = quick ? { records: 0, perUserBytes: 0, perTapBytes: 0 } : await measureRecordMemory(redis.url, files.env.TAP_SECRET!, settings.memoryRecords, () => probe.usedMemory());

  // Throughput and latency under load.
  const refreshOp = (t: Target, bag: TokenBag): Operation => {
    const slots = bag.tokens.slice(-settings.concurrency);
    if (slots.length < settings.concurrency) throw new Error('bench: not enough refresh tokens collected');
    return async (rec, i) => {
      slots[i] = await refresh(t, rec, slots[i]!);
    };
  };
  const scenarios: [string, () => Operation][] = [
    ['stock sign-in', () => (rec) => stockSignIn(stockT, rec, `acct-${randomInt(1e9)}`).then(stockBag.keep)],
    ['stock sign-in (in-memory)', () => (rec) => stockSignIn(stockMemT, rec, `acct-${randomInt(1e9)}`).then(stockMemBag.keep)],
    ['TAP sign-in', () => (rec) => tapSignIn(oursT, rec, randomTapUser()).then(oursBag.keep)],
    ['passkey sign-in', () => (rec) => passkeySignIn(oursT, rec, authenticator, randomCredential()).then(oursBag.keep)],
    ['refresh', () => refreshOp(oursT, oursBag)],
    ['stock refresh', () => refreshOp(stockT, stockBag)],
    ['stock refresh (in-memory)', () => refreshOp(stockMemT, stockMemBag)],
    ['client credentials', () => (rec) => clientCredentials(oursT, rec)],
    ['stock client credentials', () => (rec) => clientCredentials(stockT, rec)],
    ['stock client credentials (in-memory)', () => (rec) => clientCredentials(stockMemT, rec)],
  ];
  const load = { concurrency: settings.concurrency, warmupMs: settings.warmupMs, durationMs: settings.durationMs };
  // --only: a quick look at some scenarios (their names contain one of the words), side by side, and nothing else.
  if (quick) {
    const chosen = scenarios.filter(([name]) => quick.some((w) => name.includes(w)));
    // Refresh runs on tokens the sign-ins collect: those run first, unrecorded.
    const feeding = chosen.some(([name]) => name.includes('refresh')) ? scenarios.filter(([name]) => name.includes('sign-in') && !chosen.some(([c]) => c === name)) : [];
    // "half": the TAP sign-in's latency at half of its rate in the same run, as the full run measures it.
    const half = quick.includes('half') ? { ours: atHalfLoad, stock: stockAtHalfLoad } : undefined;
    for (const needed of half ? ['stock sign-in', 'TAP sign-in'] : []) {
      if (!chosen.some(([name]) => name === needed)) chosen.push(scenarios.find(([name]) => name === needed)!);
    }
    // "cluster": the Redis CPU per flow of a Cluster against a single Redis, by itself (the single side's server
    // warmed first, as the full run's load has warmed it by then).
    if (quick.includes('cluster')) {
      log(`warm-up: TAP and passkey sign-ins for ${settings.warmupPassMs / 1000} s each, unrecorded`);
      for (const [name, op] of scenarios) if (name === 'TAP sign-in' || name === 'passkey sign-in') await closedLoop(op(), { concurrency: settings.concurrency, warmupMs: settings.warmupPassMs, durationMs: 0 });
      const cluster = await clusterCpu(files, { t: oursT, redis, probe, tapUsers, credentials, authenticator }, tapUpns, pkUpns);
      for (const f of cluster.flows) log(`Cluster masters / single master, ${f.flow}: ${f.ratio} (single without a replica: ${f.withoutReplica.ratio})`);
      if (chosen.length === 0 && !half) return;
    }
    return quickLoad(probe, feeding, chosen, load, half);
  }
  // Run 1 used to meet servers whose JIT had seen a few dozen flows (stock 103/s in run 1, 246/s in run 2): every
  // scenario once first, unrecorded, so that every run measures warm servers and the per-run ratios compare alike.
  log(`warm-up: every scenario for ${settings.warmupPassMs / 1000} s, unrecorded`);
  for (const [, op] of scenarios) await closedLoop(op(), { concurrency: settings.concurrency, warmupMs: settings.warmupPassMs, durationMs: 0 });
  const results = new Map<string, Measured[]>();
  const halfLoad: LoadResult[] = [];
  const halfRates: number[] = [];
  const stockHalfLoad: LoadResult[] = [];
  const stockHalfRates: number[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    for (const [name, op] of scenarios) {
      const r = await measured(probe, () => closedLoop(op(), load));
      log(`run ${run}/${settings.runs} ${name.padEnd(36)} ${r.perSecond.toFixed(1).padStart(7)}/s  redis ${r.redisCpuCores} cores  ${cpuLine(r.cpuMsPerFlow)}${r.errors ? `  ${r.errors} errors: ${r.recorder.errorSamples[0]}` : ''}`);
      results.set(name, [...(results.get(name) ?? []), r]);
    }
    // Latency at half of this run's TAP maximum, arrivals at a steady rate.
    const rate = results.get('TAP sign-in')!.at(-1)!.perSecond / 2;
    const h = await atHalfLoad(rate);
    log(`run ${run}/${settings.runs} TAP sign-in at ${rate.toFixed(0)}/s (half)   tap step p99 ${summarise(h.recorder.steps.get('tap') ?? []).p99} ms`);
    halfLoad.push(h);
    halfRates.push(Math.round(rate));
    const stockRate = results.get('stock sign-in')!.at(-1)!.perSecond / 2;
    const sh = await stockAtHalfLoad(stockRate);
    log(`run ${run}/${settings.runs} stock sign-in at ${stockRate.toFixed(0)}/s (half)   login step p99 ${summarise(sh.recorder.steps.get('login') ?? []).p99} ms`);
    stockHalfLoad.push(sh);
    stockHalfRates.push(Math.round(stockRate));
  }

  // Redis CPU per flow, single Redis against a Cluster.
  let cluster: Report['cluster'];
  let clusterError: string | undefined;
  if (!args['no-cluster']) {
    try {
      cluster = await clusterCpu(files, { t: oursT, redis, probe, tapUsers, credentials, authenticator }, tapUpns, pkUpns);
    } catch (e) {
      clusterError = (e as Error).message;
      log(`Cluster part failed: ${clusterError}`);
    }
  }

  // Two servers against one Redis.
  let scale: Report['scale'];
  if (!args['no-scale']) {
    log('second oidc-tap server on the same Redis');
    const ours2 = await startNode('oidc-tap-2', 'dist/main.js', () => ({ ...files.env, REDIS_URL: redis.url, ISSUER: issuer }), '/healthz');
    children.push(ours2);
    const both = [oursT, target(ours2, issuer)];
    await closedLoop((rec, i) => tapSignIn(both[i % 2]!, rec, randomTapUser()).then(() => undefined), { concurrency: settings.concurrency, warmupMs: settings.warmupPassMs, durationMs: 0 });
    const one: Measured[] = [];
    const two: Measured[] = [];
    for (let run = 1; run <= settings.runs; run++) {
      one.push(await measured(probe, () => closedLoop((rec) => tapSignIn(oursT, rec, randomTapUser()).then(() => undefined), load)));
      two.push(await measured(probe, () => closedLoop((rec, i) => tapSignIn(both[i % 2]!, rec, randomTapUser()).then(() => undefined), load)));
      const errors = one.at(-1)!.errors + two.at(-1)!.errors;
      log(`run ${run}/${settings.runs} TAP sign-in, 1 server ${one.at(-1)!.perSecond.toFixed(1)}/s, 2 servers ${two.at(-1)!.perSecond.toFixed(1)}/s${errors ? `  ${errors} errors` : ''}`);
    }
    scale = { oneServer: scenarioResult(one), twoServers: scenarioResult(two) };
  }

  // The durability option: onboarding (TAP sign-in, passkey registration, which waits for a replica with the option
  // on) against a server without it and one with it, both on the same Redis with one replica.
  let durability: Report['durability'];
  let durabilityError: string | undefined;
  if (durUpns.length > 0) try {
    log('a replica of Redis, and an oidc-tap server with REDIS_WAIT_REPLICAS=1');
    // The Cluster part's replica is gone by now: this one is the only one, which WAIT 1 waits for.
    await startReplica(redis, probe, 'replica');
    const waiting = await startNode('oidc-tap-wait', 'dist/main.js', () => ({ ...files.env, REDIS_URL: redis.url, ISSUER: issuer, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '1000' }), '/healthz');
    children.push(waiting);
    const waitingT = target(waiting, issuer);
    await eachLimited(durUpns.slice(0, DURABILITY_WARMUP), 4, (u) => registerPasskey(waitingT, new Recorder(), byUpn.get(u)!, new SoftAuthenticator(issuer)));
    const measured = durUpns.slice(DURABILITY_WARMUP);
    // Alternating halves of each, so that a neighbour's load on a shared machine falls on both alike.
    const quarter = Math.floor(measured.length / 4);
    const recs = { off: new Recorder(), on: new Recorder() };
    const seconds = { off: 0, on: 0 };
    recs.off.recording = recs.on.recording = true;
    for (let i = 0; i < 4; i++) {
      const which = i % 2 === 0 ? 'off' : 'on';
      const start = performance.now();
      await eachLimited(measured.slice(i * quarter, (i + 1) * quarter), Math.min(8, settings.concurrency), (u) =>
        registerPasskey(which === 'off' ? oursT : waitingT, recs[which], byUpn.get(u)!, new SoftAuthenticator(issuer)),
      );
      seconds[which] += (performance.now() - start) / 1000;
    }
    const half = 2 * quarter;
    const result = (which: 'off' | 'on') => {
      const steps = recs[which].summary();
      return { perSecond: Math.round((half / seconds[which]) * 10) / 10, register: steps.register!, confirm: steps.confirm! };
    };
    const off = result('off');
    const on = result('on');
    durability = { onboardings: half, off, on };
    log(`durability: onboarding ${off.perSecond}/s without WAIT, ${on.perSecond}/s with WAIT 1 (register p50 ${off.register.p50} → ${on.register.p50} ms, confirm p50 ${off.confirm.p50} → ${on.confirm.p50} ms)`);
  } catch (e) {
    // A replica that confirms nothing within REDIS_WAIT_TIMEOUT_MS makes the option answer 503, as it should; the
    // run's other results still stand, so they are still written.
    durabilityError = (e as Error).message.slice(0, 300);
    log(`durability part failed: ${durabilityError}`);
  }

  const scenarioResults = Object.fromEntries([...results].map(([k, v]) => [k, scenarioResult(v)]));
  const ratio = (a: string, b: string): Ratio => {
    const per = results.get(a)!.map((r, i) => r.perSecond / results.get(b)![i]!.perSecond);
    return { perRun: per.map((x) => Math.round(x * 1000) / 1000), median: Math.round([...per].sort((x, y) => x - y)[Math.floor((per.length - 1) / 2)]! * 1000) / 1000 };
  };
  const ratios: Record<string, Ratio> = {};
  for (const [a, b] of [
    ['TAP sign-in', 'stock sign-in'],
    ['TAP sign-in', 'stock sign-in (in-memory)'],
    ['refresh', 'stock refresh'],
    ['refresh', 'stock refresh (in-memory)'],
    ['client credentials', 'stock client credentials'],
    ['client credentials', 'stock client credentials (in-memory)'],
  ] as const) {
    ratios[`${a} / ${b}`] = ratio(a, b);
  }
  const report: Report = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, redis: redisVersion, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    settings: { ...settings, durationMs: settings.durationMs, users: userCount },
    scenarios: scenarioResults,
    tapToStockRatio: ratios['TAP sign-in / stock sign-in']!,
    ratios,
    halfLoad: { ratesPerSecond: halfRates, ...scenarioResult(halfLoad) },
    stockHalfLoad: { ratesPerSecond: stockHalfRates, ...scenarioResult(stockHalfLoad) },
    onboarding: { perSecond: Math.round(onboardingPerSecond * 10) / 10, concurrency: Math.min(8, settings.concurrency), steps: onboardingRec.summary() },
    redisCost: cost,
    memory: {
      records: recordMemory.records,
      perUserBytes: recordMemory.perUserBytes,
      perTapBytes: recordMemory.perTapBytes,
      perUserKeysBytes: Math.round(userKeyBytes.reduce((a, b) => a + b, 0) / userKeyBytes.length),
      perTapKeyBytes: Math.round(tapKeyBytes.reduce((a, b) => a + b, 0) / tapKeyBytes.length),
      perPasskeyKeysBytes: Math.round(passkeyBytes.reduce((a, b) => a + b, 0) / passkeyBytes.length),
    },
    ...(scale ? { scale } : {}),
    ...(durability ? { durability } : {}),
    ...(cluster ? { cluster } : {}),
    ...(clusterError ? { clusterError } : {}),
    ...(durabilityError ? { durabilityError } : {}),
  };
  report.targets = evaluateTargets(report);
  report.previousTargets = evaluatePreviousTargets(report);
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  log(`written to ${path.relative(process.cwd(), args.out)}`);
}

/**
 * A replica of the bench's Redis (`dir` under the work directory), once the master reports it online: until it
 * has the data and streams it, a WAIT would time out and its CPU would be a full sync's, not replication's.
 */
async function startReplica(master: Child, probe: RedisProbe, dir: string): Promise<Child> {
  const replica = await startRedis(path.join(work, dir), settings.aof, master.port);
  children.push(replica);
  // By port: a replica stopped a moment ago may still be listed.
  const online = (info: Record<string, string>) => Object.entries(info).some(([k, v]) => k.startsWith('slave') && v.includes(`port=${replica.port},state=online`));
  for (const until = Date.now() + 20_000; !online(await probe.info('replication')); ) {
    if (Date.now() > until) throw new Error('bench: the replica did not come online');
    await new Promise((r) => setTimeout(r, 100));
  }
  return replica;
}

/** What the single-Redis deployment brings to the Cluster comparison: its server, Redis, users and passkeys. */
interface SingleSide {
  t: Target;
  redis: Child;
  probe: RedisProbe;
  tapUsers: IssuedTap[];
  credentials: SoftCredential[];
  authenticator: SoftAuthenticator;
}

/**
 * Redis CPU per flow: an oidc-tap server of the same build and config on a 3-master, 3-replica Cluster, and the
 * same fixed number of flows of each kind there and on the single Redis (a fixed count, not a time window, so that
 * no flow is cut in half at either end), each node's INFO cpu read before and after. What the nodes use doing
 * nothing (cron, the Cluster bus, replication's pings) is measured first and subtracted, so the figures are the
 * flows' own.
 *
 * Each Cluster master streams its writes to a replica, so the single Redis is compared with a replica of its own
 * attached for the comparison: the ratio is then what clustering costs (each master gets smaller batches), not
 * what replication does. The single Redis alone, as the comparison used to be, is measured first.
 */
async function clusterCpu(files: BenchFiles, single: SingleSide, tapUpns: string[], pkUpns: string[]): Promise<NonNullable<Report['cluster']>> {
  log('Redis Cluster: 3 masters, 3 replicas (test/support/startRedisCluster.ts)');
  const cluster = await startTestCluster();
  stoppers.push(() => cluster.stop());
  const nodeUrls = cluster.nodes.map((n) => `redis://:${cluster.password}@127.0.0.1:${n.port}`);
  // The test cluster writes an AOF, which the single Redis does not (unless --aof): a cost per write that would
  // be counted against the Cluster. And its nodes give up on a peer after 1 s, which a node starved of CPU on two
  // busy cores may take to answer: a failover in the middle would measure something else.
  for (const url of nodeUrls) {
    const p = await RedisProbe.open(url);
    try {
      await p.redis.config('SET', 'appendonly', settings.aof ? 'yes' : 'no');
      await p.redis.config('SET', 'cluster-node-timeout', '15000');
    } finally {
      p.close();
    }
  }
  const server = await startNode(
    'oidc-tap-cluster',
    'dist/main.js',
    (port) => ({ ...files.env, DATA_DIR: path.join(work, 'data-cluster'), REDIS_URL: cluster.url, ISSUER: `http://localhost:${port}` }),
    '/healthz',
  );
  children.push(server);
  const clusterIssuer = `http://localhost:${server.port}`;
  const clusterT = target(server, clusterIssuer);
  log(`Cluster: issuing ${tapUpns.length + pkUpns.length} TAPs, registering ${pkUpns.length} passkeys`);
  const issued = await issueTaps(cluster.url, files.env.TAP_SECRET!, [...tapUpns, ...pkUpns], 480);
  const byUpn = new Map(issued.map((t) => [t.upn, t]));
  const clusterTapUsers = tapUpns.map((u) => byUpn.get(u)!);
  const clusterAuthenticator = new SoftAuthenticator(clusterIssuer);
  const clusterCredentials = await eachLimited(pkUpns, Math.min(8, settings.concurrency), (u) => registerPasskey(clusterT, new Recorder(), byUpn.get(u)!, clusterAuthenticator));

  type Side = Omit<SingleSide, 'redis' | 'probe'> & { cpu: RedisCpu };
  const { redis: singleRedis, probe: singleProbe, ...singleFlows } = single;
  const alone: Side = { ...singleFlows, cpu: await RedisCpu.open([singleRedis.url]) };
  const clustered: Side = { t: clusterT, tapUsers: clusterTapUsers, credentials: clusterCredentials, authenticator: clusterAuthenticator, cpu: await RedisCpu.open(nodeUrls) };
  let replica: Child | undefined;
  let replicated: Side | undefined;
  try {
    const kinds: { flow: string; flows: number; op: (s: Side, bag: TokenBag) => Operation }[] = [
      { flow: 'TAP sign-in', flows: settings.clusterFlows, op: (s, bag) => (rec) => tapSignIn(s.t, rec, s.tapUsers[randomInt(s.tapUsers.length)]!).then(bag.keep) },
      { flow: 'passkey sign-in', flows: settings.clusterFlows, op: (s, bag) => (rec) => passkeySignIn(s.t, rec, s.authenticator, s.credentials[randomInt(s.credentials.length)]!).then(bag.keep) },
      {
        flow: 'refresh',
        // A refresh costs Redis a fifth of a sign-in: more of them, for as many CPU ticks.
        flows: 3 * settings.clusterFlows,
        op: (s, bag) => {
          const slots = bag.tokens.slice(-settings.concurrency);
          if (slots.length < settings.concurrency) throw new Error('bench: not enough refresh tokens collected');
          return async (rec, i) => {
            slots[i] = await refresh(s.t, rec, slots[i]!);
          };
        },
      },
    ];
    const halves = (flows: number) => [Math.ceil(flows / 2), Math.floor(flows / 2)];
    // One bag per server: the single one's refreshes take the tokens of the sign-ins just before them, in either pass.
    const bags = { single: new TokenBag(), cluster: new TokenBag() };
    // The Cluster's server is new: warm it as the other servers were (the single one is warm from the load runs).
    log(`Cluster: warm-up, every flow for ${settings.warmupPassMs / 1000} s`);
    for (const k of kinds) await closedLoop(k.op(clustered, bags.cluster), { concurrency: settings.concurrency, warmupMs: settings.warmupPassMs, durationMs: 0 });

    let rolesChanged = false;
    const idleMs = 2000;
    /** CPU ms per second each side's masters and replicas use doing nothing. */
    const idleOf = async (...sides: Side[]) => {
      const s0 = await Promise.all(sides.map((s) => s.cpu.sample()));
      await new Promise((r) => setTimeout(r, idleMs));
      const s1 = await Promise.all(sides.map((s) => s.cpu.sample()));
      const perSecond = (a: number, b: number) => ((b - a) * 1000) / (idleMs / 1000);
      return sides.map((_, i) => {
        if (s0[i]!.roles !== s1[i]!.roles) rolesChanged = true;
        return { masters: perSecond(s0[i]!.masters, s1[i]!.masters), replicas: perSecond(s0[i]!.replicas, s1[i]!.replicas) };
      });
    };

    /** Where `flows` of one kind, run as several fixed counts, got to: CPU seconds by role, time, errors. */
    type Tally = { completed: number; errors: number; seconds: number; masters: number; replicas: number; reads: number; errorSamples: string[] };
    const tally = (): Tally => ({ completed: 0, errors: 0, seconds: 0, masters: 0, replicas: 0, reads: 0, errorSamples: [] });
    const measure = async (side: Side, op: Operation, n: number, into: Tally) => {
      const before: CpuSample = await side.cpu.sample();
      const r = await fixedCount(op, n, settings.concurrency);
      const after = await side.cpu.sample();
      if (before.roles !== after.roles) rolesChanged = true;
      into.completed += r.completed;
      into.errors += r.errors;
      into.seconds += r.seconds;
      into.masters += after.masters - before.masters;
      into.replicas += after.replicas - before.replicas;
      into.reads += after.masterReads - before.masterReads;
      into.errorSamples.push(...r.recorder.errorSamples);
    };
    const ms = (cpuSeconds: number, idleMsPerSecond: number, t: Tally) => Math.round(((cpuSeconds * 1000 - idleMsPerSecond * t.seconds) / t.completed) * 1000) / 1000;
    const round = (x: number) => Math.round(x * 100) / 100;

    // The single Redis as it was compared before, without a replica. It cannot be alternated with the Cluster as
    // the like-for-like pass is (a replica attached and detached half by half would resync each time), so it goes
    // first, by itself, in the same halves.
    log('Redis CPU per flow: the single Redis without a replica');
    const [idleAlone] = await idleOf(alone);
    const aloneTallies = new Map<string, Tally>();
    for (const k of kinds) {
      const op = k.op(alone, bags.single);
      const t = tally();
      for (const half of halves(k.flows)) await measure(alone, op, half, t);
      aloneTallies.set(k.flow, t);
    }

    log('Redis CPU per flow: a replica of the single Redis, then the single Redis and the Cluster in alternating halves');
    replica = await startReplica(singleRedis, singleProbe, 'replica-cluster');
    replicated = { ...alone, cpu: await RedisCpu.open([singleRedis.url, replica.url]) };
    const [idleSingle, idleCluster] = await idleOf(replicated, clustered);
    const flows: CpuPerFlow[] = [];
    for (const k of kinds) {
      const ops = { single: k.op(replicated, bags.single), cluster: k.op(clustered, bags.cluster) };
      const one = tally();
      const many = tally();
      // Alternating halves, so that a neighbour's load on the shared machine (which changes how much Redis gets
      // to batch, so its CPU per command) falls on both alike.
      for (const half of halves(k.flows)) {
        await measure(replicated, ops.single, half, one);
        await measure(clustered, ops.cluster, half, many);
      }
      const a = aloneTallies.get(k.flow)!;
      const single = { master: ms(one.masters, idleSingle!.masters, one), replica: ms(one.replicas, idleSingle!.replicas, one), alone: ms(a.masters, idleAlone!.masters, a) };
      const masters = ms(many.masters, idleCluster!.masters, many);
      const perFlow = (t: Tally) => round(t.reads / t.completed);
      const reads = { single: perFlow(one), cluster: perFlow(many), alone: perFlow(a) };
      const replicas = ms(many.replicas, idleCluster!.replicas, many);
      flows.push({
        flow: k.flow,
        flows: k.flows,
        singleMaster: single.master,
        singleReplica: single.replica,
        masters,
        replicas,
        ratio: round(masters / single.master),
        perSecond: { single: Math.round(one.completed / one.seconds), cluster: Math.round(many.completed / many.seconds) },
        errors: { single: one.errors, cluster: many.errors },
        withoutReplica: { single: single.alone, ratio: round(masters / single.alone), perSecond: Math.round(a.completed / a.seconds), errors: a.errors },
        masterReads: reads,
      });
      const errorCount = a.errors + one.errors + many.errors;
      const errors = errorCount ? `  errors ${a.errors}, ${one.errors}, ${many.errors}: ${[...a.errorSamples, ...one.errorSamples, ...many.errorSamples][0]}` : '';
      log(
        `Redis CPU per ${k.flow} (${k.flows}): single master ${single.master} ms + its replica ${single.replica} ms, Cluster masters ${masters} ms + replicas ${replicas} ms (× ${(masters / single.master).toFixed(2)}); single without a replica ${single.alone} ms (× ${(masters / single.alone).toFixed(2)}); masters' read events per flow: single ${reads.single}, Cluster ${reads.cluster}${errors}`,
      );
    }
    return {
      idleMsPerSecond: {
        withoutReplica: round(idleAlone!.masters),
        singleMaster: round(idleSingle!.masters),
        singleReplica: round(idleSingle!.replicas),
        masters: round(idleCluster!.masters),
        replicas: round(idleCluster!.replicas),
      },
      flows,
      rolesChanged,
    };
  } finally {
    alone.cpu.close();
    replicated?.cpu.close();
    clustered.cpu.close();
    // The replica goes too: the scale part measures the single Redis as before, and the durability part's WAIT 1
    // is answered by a replica of its own.
    await replica?.stop();
    // Seven idle processes less for what follows.
    await server.stop();
    await cluster.stop();
  }
}

/** --only: the chosen scenarios after one unrecorded pass, run by run, and each one's median. */
async function quickLoad(
  probe: RedisProbe,
  feeding: [string, () => Operation][],
  chosen: [string, () => Operation][],
  load: { concurrency: number; warmupMs: number; durationMs: number },
  half?: { ours: (rate: number) => Promise<LoadResult>; stock: (rate: number) => Promise<LoadResult> },
): Promise<void> {
  for (const [, op] of [...feeding, ...chosen]) await closedLoop(op(), { concurrency: settings.concurrency, warmupMs: settings.warmupPassMs, durationMs: 0 });
  const rates = new Map<string, number[]>();
  for (let run = 1; run <= settings.runs; run++) {
    // Fresh refresh tokens for each run (the last run's were rotated).
    for (const [, op] of feeding) await closedLoop(op(), { concurrency: settings.concurrency, warmupMs: 1000, durationMs: 0 });
    for (const [name, op] of chosen) {
      const r = await measured(probe, () => closedLoop(op(), load));
      log(`run ${run}/${settings.runs} ${name.padEnd(36)} ${r.perSecond.toFixed(1).padStart(7)}/s  ${cpuLine(r.cpuMsPerFlow)}${r.errors ? `  ${r.errors} errors: ${r.recorder.errorSamples[0]}` : ''}`);
      rates.set(name, [...(rates.get(name) ?? []), r.perSecond]);
    }
    if (half) {
      const rate = rates.get('TAP sign-in')!.at(-1)! / 2;
      const tap = summarise((await half.ours(rate)).recorder.steps.get('tap') ?? []);
      log(`run ${run}/${settings.runs} TAP sign-in at ${rate.toFixed(0)}/s (half)   tap step p50 ${tap.p50}, p95 ${tap.p95}, p99 ${tap.p99} ms`);
      const stockRate = rates.get('stock sign-in')!.at(-1)! / 2;
      const login = summarise((await half.stock(stockRate)).recorder.steps.get('login') ?? []);
      log(`run ${run}/${settings.runs} stock sign-in at ${stockRate.toFixed(0)}/s (half) login step p50 ${login.p50}, p95 ${login.p95}, p99 ${login.p99} ms`);
    }
  }
  for (const [name, rs] of rates) process.stdout.write(`${name.padEnd(36)} median ${[...rs].sort((a, b) => a - b)[Math.floor((rs.length - 1) / 2)]!.toFixed(1)}/s\n`);
}

/** --trace: what each flow's first run sent to Redis, step by step. */
function printTrace(cost: Record<string, FlowCost>): void {
  for (const [flow, c] of Object.entries(cost)) {
    process.stdout.write(`\n${flow}\n`);
    for (const [step, lines] of Object.entries(c.trace)) {
      process.stdout.write(`  ${step} (${c.steps[step]?.roundTrips ?? '?'} round trips)\n`);
      for (const l of lines) process.stdout.write(`    ${l}\n`);
    }
  }
}

/** --cost-only: the Redis-per-flow table, without the load runs. */
function printCost(cost: Record<string, FlowCost>): void {
  process.stdout.write('\nRedis per flow       commands  in scripts  round trips   per step\n');
  for (const [flow, c] of Object.entries(cost)) {
    const steps = Object.entries(c.steps).map(([s, v]) => `${s} ${v.roundTrips}`).join(', ');
    process.stdout.write(`  ${flow.padEnd(18)} ${String(c.total.commands).padStart(8)} ${String(c.total.scriptCommands).padStart(10)} ${String(c.total.roundTrips).padStart(12)}   ${steps}\n`);
  }
}

/** --profile: the TAP flow against oidc-tap and the stock flow against the baseline, each server under --cpu-prof. */
async function profileOnly(oursT: Target, stockT: Target, tapUsers: IssuedTap[], ours: Child, stock: Child): Promise<void> {
  const load = { concurrency: settings.concurrency, warmupMs: settings.warmupMs, durationMs: settings.durationMs * settings.runs };
  // --profile-flow client-credentials or refresh: the same grant on both servers (what a product adds around a
  // token request); refresh tokens come from sign-ins made first, before the profiled window.
  const flow = args['profile-flow'];
  if (!['sign-in', 'client-credentials', 'refresh'].includes(flow)) throw new Error('bench: --profile-flow must be sign-in, client-credentials or refresh');
  const label = flow === 'sign-in' ? 'TAP sign-in' : flow;
  const refreshing = async (t: Target, signIn: (rec: Recorder) => Promise<Tokens>): Promise<Operation> => {
    const bag = new TokenBag();
    await fixedCount(async (rec) => bag.keep(await signIn(rec)), settings.concurrency, settings.concurrency);
    const slots = bag.tokens.slice(-settings.concurrency);
    if (slots.length < settings.concurrency) throw new Error('bench: not enough refresh tokens collected');
    return async (rec, i) => {
      slots[i] = await refresh(t, rec, slots[i]!);
    };
  };
  /** The profiled flow against `t`, whose own sign-in is `signIn`. */
  const operation = async (t: Target, signIn: (rec: Recorder) => Promise<Tokens>): Promise<Operation> =>
    flow === 'client-credentials' ? (rec) => clientCredentials(t, rec) : flow === 'refresh' ? refreshing(t, signIn) : (rec) => signIn(rec).then(() => undefined);
  const oursOp = await operation(oursT, (rec) => tapSignIn(oursT, rec, tapUsers[randomInt(tapUsers.length)]!));
  log(`profiling: ${label} for ${load.durationMs / 1000} s`);
  const tap = await closedLoop(oursOp, load);
  // Made only now: stock's sign-ins for refresh tokens then run outside ours' profiled window.
  const stockOp = await operation(stockT, (rec) => stockSignIn(stockT, rec, `acct-${randomInt(1e9)}`));
  log(`profiling: stock ${label} for ${load.durationMs / 1000} s`);
  const st = await closedLoop(stockOp, load);
  await Promise.all(pools.map((p) => p.close()));
  await ours.stop();
  await stock.stop();
  const summary = (name: string): ProfileSummary | undefined => {
    const dir = path.join(work, 'prof', name);
    const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
    if (!file) return undefined;
    // Kept beside the summary, for a closer look (Chrome DevTools, or any .cpuprofile reader).
    copyFileSync(path.join(dir, file), path.join(path.dirname(args.out), `${name}.cpuprofile`));
    return summariseProfile(path.join(dir, file), 20);
  };
  const out = {
    generatedAt: new Date().toISOString(),
    tapPerSecond: Math.round(tap.perSecond),
    stockPerSecond: Math.round(st.perSecond),
    note: 'Under --cpu-prof, so slower than a plain run. Self time.',
    oidcTap: summary('oidc-tap'),
    stock: summary('stock'),
  };
  const file = path.join(path.dirname(args.out), 'profile.json');
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  for (const [name, s] of [[`oidc-tap (${label})`, out.oidcTap], [flow === 'sign-in' ? 'stock oidc-provider (devInteractions sign-in)' : `stock oidc-provider (${label})`, out.stock]] as const) {
    process.stdout.write(`\n${name}: self time by area\n`);
    for (const a of s?.areas ?? []) process.stdout.write(`  ${a.percent.toFixed(1).padStart(5)}%  ${a.name}\n`);
    process.stdout.write(`${name}: top functions\n`);
    for (const f of s?.functions ?? []) process.stdout.write(`  ${f.percent.toFixed(1).padStart(5)}%  ${f.name}\n`);
  }
  log(`written to ${path.relative(process.cwd(), file)}`);
}

try {
  await main();
} finally {
  await Promise.allSettled(pools.map((p) => p.close()));
  for (const p of probes) p.close();
  for (const c of children.reverse()) await c.stop();
  for (const stop of stoppers) await stop();
  rmSync(work, { recursive: true, force: true });
}
