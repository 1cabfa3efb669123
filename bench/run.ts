/**
 * npm run bench: sign-in throughput and latency of oidc-tap, side by side with stock oidc-provider, on one
 * machine. See docs/benchmarks.md for the method and the numbers.
 *
 *   npm run bench -- [--duration S] [--warmup S] [--runs N] [--concurrency N] [--profile] [--aof] …
 */
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { summariseProfile, type ProfileSummary } from './cpuProfile.ts';
import { clientCredentials, passkeySignIn, refresh, registerPasskey, stockSignIn, tapSignIn, type Target, type Tokens } from './flows.ts';
import { issueTaps, measureRecordMemory, type IssuedTap } from './issueTaps.ts';
import { closedLoop, openLoop, type LoadResult, type Operation } from './load.ts';
import { measureFlowCost, type FlowCost } from './measureRedis.ts';
import { ROOT, benchOptions, startNode, startRedis, writeBenchFiles, type Child } from './processes.ts';
import { Recorder, summarise, type LatencySummary } from './Recorder.ts';
import { RedisProbe } from './RedisProbe.ts';
import { SoftAuthenticator, type SoftCredential } from '../test/support/SoftAuthenticator.ts';
import { evaluateTargets, printReport, type Report, type ScenarioResult } from './report.ts';

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
    aof: { type: 'boolean', default: false },
    'no-scale': { type: 'boolean', default: false },
    'no-durability': { type: 'boolean', default: false },
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
  runs: Math.round(num('runs')),
  concurrency: Math.round(num('concurrency')),
  tapUsers: Math.round(num('tap-users')),
  passkeyUsers: Math.round(num('passkey-users')),
  sequential: Math.round(num('sequential')),
  memoryRecords: Math.round(num('memory-records')),
  profile: args.profile,
  aof: args.aof,
};

if (!existsSync(path.join(ROOT, 'dist/main.js'))) throw new Error('bench: dist/ is missing; run npm run build (npm run bench does)');

const started = Date.now();
const log = (msg: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
const children: Child[] = [];
const pools: Pool[] = [];
const probes: RedisProbe[] = [];
const work = path.join(ROOT, 'bench/results', `run-${process.pid}`);

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

/** A load result with the CPU redis-server used meanwhile (cores). */
type Measured = LoadResult & { redisCpuCores?: number };

/** Run `load` and measure redis-server's CPU (INFO cpu) over it. */
async function withRedisCpu(probe: RedisProbe, load: () => Promise<LoadResult>): Promise<Measured> {
  const cpu = async () => {
    const i = await probe.info('cpu');
    return Number(i.used_cpu_user) + Number(i.used_cpu_sys);
  };
  const c0 = await cpu();
  const t0 = performance.now();
  const r = await load();
  const cores = (await cpu()) - c0;
  return { ...r, redisCpuCores: Math.round((100 * cores) / ((performance.now() - t0) / 1000)) / 100 };
}

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

  log(`memory of ${settings.memoryRecords} users and their TAPs`);
  const recordMemory = await measureRecordMemory(redis.url, files.env.TAP_SECRET!, settings.memoryRecords, () => probe.usedMemory());

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
    ['TAP sign-in', () => (rec) => tapSignIn(oursT, rec, randomTapUser()).then(oursBag.keep)],
    ['passkey sign-in', () => (rec) => passkeySignIn(oursT, rec, authenticator, randomCredential()).then(oursBag.keep)],
    ['refresh', () => refreshOp(oursT, oursBag)],
    ['stock refresh', () => refreshOp(stockT, stockBag)],
    ['client credentials', () => (rec) => clientCredentials(oursT, rec)],
    ['stock client credentials', () => (rec) => clientCredentials(stockT, rec)],
  ];
  const load = { concurrency: settings.concurrency, warmupMs: settings.warmupMs, durationMs: settings.durationMs };
  const results = new Map<string, Measured[]>();
  const halfLoad: LoadResult[] = [];
  const halfRates: number[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    for (const [name, op] of scenarios) {
      const r = await withRedisCpu(probe, () => closedLoop(op(), load));
      log(`run ${run}/${settings.runs} ${name.padEnd(26)} ${r.perSecond.toFixed(1).padStart(7)}/s  redis ${r.redisCpuCores} cores${r.errors ? `  ${r.errors} errors: ${r.recorder.errorSamples[0]}` : ''}`);
      results.set(name, [...(results.get(name) ?? []), r]);
    }
    // Latency at half of this run's TAP maximum, arrivals at a steady rate.
    const rate = results.get('TAP sign-in')!.at(-1)!.perSecond / 2;
    const h = await openLoop((rec) => tapSignIn(oursT, rec, randomTapUser()).then(() => undefined), rate, { warmupMs: settings.warmupMs, durationMs: settings.durationMs });
    log(`run ${run}/${settings.runs} TAP sign-in at ${rate.toFixed(0)}/s (half)   tap step p99 ${summarise(h.recorder.steps.get('tap') ?? []).p99} ms`);
    halfLoad.push(h);
    halfRates.push(Math.round(rate));
  }

  // Two servers against one Redis.
  let scale: Report['scale'];
  if (!args['no-scale']) {
    log('second oidc-tap server on the same Redis');
    const ours2 = await startNode('oidc-tap-2', 'dist/main.js', () => ({ ...files.env, REDIS_URL: redis.url, ISSUER: issuer }), '/healthz');
    children.push(ours2);
    const both = [oursT, target(ours2, issuer)];
    const one: Measured[] = [];
    const two: Measured[] = [];
    for (let run = 1; run <= settings.runs; run++) {
      one.push(await withRedisCpu(probe, () => closedLoop((rec) => tapSignIn(oursT, rec, randomTapUser()).then(() => undefined), load)));
      two.push(await withRedisCpu(probe, () => closedLoop((rec, i) => tapSignIn(both[i % 2]!, rec, randomTapUser()).then(() => undefined), load)));
      const errors = one.at(-1)!.errors + two.at(-1)!.errors;
      log(`run ${run}/${settings.runs} TAP sign-in, 1 server ${one.at(-1)!.perSecond.toFixed(1)}/s, 2 servers ${two.at(-1)!.perSecond.toFixed(1)}/s${errors ? `  ${errors} errors` : ''}`);
    }
    scale = { oneServer: scenarioResult(one), twoServers: scenarioResult(two) };
  }

  // The durability option: onboarding (TAP sign-in, passkey registration, which waits for a replica with the option
  // on) against a server without it and one with it, both on the same Redis with one replica.
  let durability: Report['durability'];
  if (durUpns.length > 0) {
    log('a replica of Redis, and an oidc-tap server with REDIS_WAIT_REPLICAS=1');
    const replica = await startRedis(path.join(work, 'replica'), settings.aof, redis.port);
    children.push(replica);
    // Until the replica has the data and streams it, every WAIT would time out.
    for (const until = Date.now() + 20_000; !(await probe.info('replication')).slave0?.includes('state=online'); ) {
      if (Date.now() > until) throw new Error('bench: the replica did not come online');
      await new Promise((r) => setTimeout(r, 100));
    }
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
  }

  const scenarioResults = Object.fromEntries([...results].map(([k, v]) => [k, scenarioResult(v)]));
  const ratios = results.get('TAP sign-in')!.map((r, i) => r.perSecond / results.get('stock sign-in')![i]!.perSecond);
  const report: Report = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, redis: redisVersion, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    settings: { ...settings, durationMs: settings.durationMs, users: userCount },
    scenarios: scenarioResults,
    tapToStockRatio: { perRun: ratios.map((r) => Math.round(r * 1000) / 1000), median: Math.round([...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)]! * 1000) / 1000 },
    halfLoad: { ratesPerSecond: halfRates, ...scenarioResult(halfLoad) },
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
  };
  report.targets = evaluateTargets(report);
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report);
  log(`written to ${path.relative(process.cwd(), args.out)}`);
}

/** --profile: the TAP flow against oidc-tap and the stock flow against the baseline, each server under --cpu-prof. */
async function profileOnly(oursT: Target, stockT: Target, tapUsers: IssuedTap[], ours: Child, stock: Child): Promise<void> {
  const load = { concurrency: settings.concurrency, warmupMs: settings.warmupMs, durationMs: settings.durationMs * settings.runs };
  log(`profiling: TAP sign-in for ${load.durationMs / 1000} s`);
  const tap = await closedLoop((rec) => tapSignIn(oursT, rec, tapUsers[randomInt(tapUsers.length)]!).then(() => undefined), load);
  log(`profiling: stock sign-in for ${load.durationMs / 1000} s`);
  const st = await closedLoop((rec) => stockSignIn(stockT, rec, `acct-${randomInt(1e9)}`).then(() => undefined), load);
  await Promise.all(pools.map((p) => p.close()));
  await ours.stop();
  await stock.stop();
  const summary = (name: string): ProfileSummary | undefined => {
    const dir = path.join(work, 'prof', name);
    const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
    return file ? summariseProfile(path.join(dir, file), 20) : undefined;
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
  for (const [name, s] of [['oidc-tap (TAP sign-in)', out.oidcTap], ['stock oidc-provider (devInteractions sign-in)', out.stock]] as const) {
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
  rmSync(work, { recursive: true, force: true });
}
