import type { FlowCost } from './measureRedis.ts';
import type { LatencySummary } from './Recorder.ts';

/** One scenario over all runs: the rate of each run, their median and spread, latency per step. */
export interface ScenarioResult {
  perSecond: number[];
  median: number;
  min: number;
  max: number;
  errors: number;
  errorSamples: string[];
  /** Per step: median over the runs of each run's percentile. */
  steps: Record<string, LatencySummary>;
  /** CPU redis-server used meanwhile, in cores (median over the runs). */
  redisCpuCores?: number;
  /** CPU per flow of the server, redis-server and the load driver, ms (median over the runs). */
  cpuMsPerFlow?: CpuMsPerFlow;
}

/** CPU milliseconds (user + sys) per flow of each process of a load run. */
export interface CpuMsPerFlow {
  server: number;
  redis: number;
  driver: number;
}

/** One throughput against another, taken within each run (both saw the same noise), and the median. */
export interface Ratio {
  perRun: number[];
  median: number;
}

/**
 * Redis CPU of one kind of flow, the same fixed number of flows on the single Redis and on the Cluster, each
 * master of either with a replica, so that the comparison is clustering's cost and not replication's.
 */
export interface CpuPerFlow {
  flow: string;
  flows: number;
  /**
   * CPU milliseconds per flow (user + sys, idle cost subtracted): the single Redis's master and its replica, the
   * Cluster's masters and its replicas (all three of each, summed).
   */
  singleMaster: number;
  singleReplica: number;
  masters: number;
  replicas: number;
  /** masters / singleMaster, both with replicas: what the target of issue #18 uses. */
  ratio: number;
  /** Flows per second while measured, and failed flows, on each. */
  perSecond: { single: number; cluster: number };
  errors: { single: number; cluster: number };
  /**
   * The single Redis without a replica, measured first, by itself (not alternated with the Cluster), and masters
   * / it: the comparison as it was made before, which charged the Cluster for replication as well.
   */
  withoutReplica: { single: number; ratio: number; perSecond: number; errors: number };
  /**
   * Read events per flow on the masters (each a batch of commands off one connection): the single Redis with its
   * replica, the Cluster's masters summed, the single Redis without a replica. What a Cluster splits a round trip
   * into shows here.
   */
  masterReads: { single: number; cluster: number; alone: number };
}

export interface TargetResult {
  target: string;
  value: number;
  limit: number;
  met: boolean;
  /** How far from the limit, as a share of it (positive: margin, negative: shortfall). */
  margin: number;
}

/** Onboardings against one server: their rate, and the two steps that wait for a replica with the option on. */
interface DurabilityRun {
  perSecond: number;
  /** Stores the passkey (WAIT with the option on). */
  register: LatencySummary;
  /** Signs in with it and deletes the TAP, revoking what it carried (two WAITs with the option on). */
  confirm: LatencySummary;
}

export interface Report {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; redis: string; loadAverageAtEnd: number[] };
  settings: Record<string, unknown>;
  scenarios: Record<string, ScenarioResult>;
  tapToStockRatio: Ratio;
  /** Each flow against its stock counterpart: on the same Redis, and on oidc-provider's in-memory store. */
  ratios: Record<string, Ratio>;
  halfLoad: ScenarioResult & { ratesPerSecond: number[] };
  /** Stock oidc-provider's sign-in at half of its own maximum: its login step is the half-load target's comparator. */
  stockHalfLoad?: ScenarioResult & { ratesPerSecond: number[] };
  onboarding: { perSecond: number; concurrency: number; steps: Record<string, LatencySummary> };
  redisCost: Record<string, FlowCost>;
  memory: { records: number; perUserBytes: number; perUserKeysBytes: number; perTapBytes: number; perTapKeyBytes: number; perPasskeyKeysBytes: number };
  scale?: { oneServer: ScenarioResult; twoServers: ScenarioResult };
  /** Onboarding (its passkey registration waits for a replica with the option on) without and with REDIS_WAIT_REPLICAS=1. */
  durability?: { onboardings: number; off: DurabilityRun; on: DurabilityRun };
  /**
   * Redis CPU per flow, a single Redis with a replica against a 3-master, 3-replica Cluster (the same server build
   * and config), and the single Redis without its replica.
   */
  cluster?: {
    /** What the servers use doing nothing, CPU ms per second (subtracted from the flows' figures). */
    idleMsPerSecond: { withoutReplica: number; singleMaster: number; singleReplica: number; masters: number; replicas: number };
    flows: CpuPerFlow[];
    /** A node changed role during a measurement: its figures mix masters and replicas. */
    rolesChanged: boolean;
  };
  /** Why the Cluster part, asked for, did not finish. */
  clusterError?: string;
  /** Why the durability part stopped, if it did. */
  durabilityError?: string;
  /** The targets of issue #18. */
  targets?: TargetResult[];
  /** The targets of issue #7, still computed for comparison with the runs before #18. */
  previousTargets?: TargetResult[];
}

function target(name: string, value: number, limit: number, atMost: boolean): TargetResult {
  const met = atMost ? value <= limit : value >= limit;
  const margin = Math.round((atMost ? (limit - value) / limit : (value - limit) / limit) * 1000) / 1000;
  return { target: name, value, limit, met, margin };
}

/** The ratio named `name`, or NaN (a missed target) when the run did not measure it. */
const ratioOf = (r: Report, name: string) => r.ratios[name]?.median ?? Number.NaN;

/** The targets of issue #18, against this run's numbers. */
export function evaluateTargets(r: Report): TargetResult[] {
  const roundTrips = (flow: string) => r.redisCost[flow]?.total.roundTrips ?? Number.NaN;
  const tapCpu = r.cluster?.flows.find((f) => f.flow === 'TAP sign-in');
  return [
    target('TAP sign-in ≥ 1.0 × stock sign-in on the same Redis', ratioOf(r, 'TAP sign-in / stock sign-in'), 1, false),
    target('TAP sign-in ≥ 0.6 × stock sign-in in memory', ratioOf(r, 'TAP sign-in / stock sign-in (in-memory)'), 0.6, false),
    target('Redis round trips per TAP sign-in ≤ 30', roundTrips('tap'), 30, true),
    target('Redis round trips per passkey sign-in ≤ 25', roundTrips('passkey'), 25, true),
    target('Redis round trips per refresh grant ≤ 6', roundTrips('refresh'), 6, true),
    target('refresh ≥ 1.0 × stock refresh on the same Redis', ratioOf(r, 'refresh / stock refresh'), 1, false),
    target('client credentials ≥ 1.0 × stock client credentials on the same Redis', ratioOf(r, 'client credentials / stock client credentials'), 1, false),
    target('TAP step p99 at half of max throughput < 20 ms', r.halfLoad.steps.tap?.p99 ?? Number.NaN, 20, true),
    ...(tapCpu || r.clusterError ? [target("Cluster masters' Redis CPU per TAP sign-in ≤ 1.5 × a single Redis master (both with a replica)", tapCpu?.ratio ?? Number.NaN, 1.5, true)] : []),
  ];
}

/** The targets of issue #7, against this run's numbers. */
export function evaluatePreviousTargets(r: Report): TargetResult[] {
  return [
    target('TAP sign-in throughput ≥ 0.85 × stock oidc-provider', r.tapToStockRatio.median, 0.85, false),
    target('TAP sign-ins per second ≥ 250', r.scenarios['TAP sign-in']?.median ?? 0, 250, false),
    target('refresh grants per second ≥ 1500', r.scenarios.refresh?.median ?? 0, 1500, false),
    target('TAP step p99 at half of max throughput < 20 ms', r.halfLoad.steps.tap?.p99 ?? Number.NaN, 20, true),
    target('Redis round trips of a TAP sign-in beyond stock ≤ 10', Math.round(((r.redisCost.tap?.total.roundTrips ?? 0) - (r.redisCost.stock?.total.roundTrips ?? 0)) * 10) / 10, 10, true),
    target('Redis memory per stored TAP ≤ 400 bytes', r.memory.perTapBytes, 400, true),
  ];
}

const out = (s = '') => process.stdout.write(`${s}\n`);
const pad = (s: string | number, n: number) => String(s).padStart(n);

function steps(title: string, s: Record<string, LatencySummary>): void {
  out(`  ${title}`);
  out(`    ${'step'.padEnd(18)} ${pad('p50', 8)} ${pad('p95', 8)} ${pad('p99', 8)}   ms`);
  for (const [name, l] of Object.entries(s)) out(`    ${name.padEnd(18)} ${pad(l.p50.toFixed(1), 8)} ${pad(l.p95.toFixed(1), 8)} ${pad(l.p99.toFixed(1), 8)}`);
}

export function printReport(r: Report): void {
  out();
  out(`machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, Redis ${r.machine.redis}; load average at the end ${r.machine.loadAverageAtEnd.join(' ')}`);
  out(`runs: ${String(r.settings.runs)} × ${Number(r.settings.durationMs) / 1000} s after ${Number(r.settings.warmupMs) / 1000} s warm-up each (and one unrecorded pass of every scenario, ${Number(r.settings.warmupPassMs) / 1000} s each, before run 1), ${String(r.settings.concurrency)} virtual users`);
  out();
  out(`${'scenario'.padEnd(38)} ${pad('median/s', 9)} ${pad('min–max', 16)}  ${pad('redis', 5)}  ${pad('CPU ms/flow: server', 19)} ${pad('redis', 6)} ${pad('driver', 6)}  errors   (redis: CPU cores redis-server used)`);
  for (const [name, s] of Object.entries(r.scenarios)) {
    const c = s.cpuMsPerFlow;
    const cpu = `${pad(c?.server.toFixed(2) ?? '', 19)} ${pad(c?.redis.toFixed(2) ?? '', 6)} ${pad(c?.driver.toFixed(2) ?? '', 6)}`;
    out(`${name.padEnd(38)} ${pad(s.median.toFixed(1), 9)} ${pad(`${s.min.toFixed(0)}–${s.max.toFixed(0)}`, 16)}  ${pad(s.redisCpuCores ?? '', 5)}  ${cpu}  ${s.errors}${s.errorSamples[0] ? ` (${s.errorSamples[0]})` : ''}`);
  }
  out('server CPU per flow against stock on the same Redis (medians; what the throughput ratios follow, with less noise):');
  for (const [ours, stock] of [['TAP sign-in', 'stock sign-in'], ['passkey sign-in', 'stock sign-in'], ['refresh', 'stock refresh'], ['client credentials', 'stock client credentials']] as const) {
    const a = r.scenarios[ours]?.cpuMsPerFlow?.server;
    const b = r.scenarios[stock]?.cpuMsPerFlow?.server;
    if (a && b) out(`  ${`${ours} / ${stock}`.padEnd(60)} ${pad((a / b).toFixed(2), 6)}  (${a.toFixed(2)} / ${b.toFixed(2)} ms)`);
  }
  out('ratios, median of the per-run ratios (runs):');
  for (const [name, q] of Object.entries(r.ratios)) out(`  ${name.padEnd(60)} ${pad(q.median.toFixed(3), 6)}  (${q.perRun.join(', ')})`);
  out();
  for (const name of ['stock sign-in', 'TAP sign-in', 'passkey sign-in', 'refresh']) {
    const s = r.scenarios[name];
    if (s) steps(`${name}, at full load`, s.steps);
  }
  steps(`TAP sign-in at half of max (${r.halfLoad.ratesPerSecond.join(', ')}/s, open loop)`, r.halfLoad.steps);
  if (r.stockHalfLoad) steps(`stock sign-in at half of its max (${r.stockHalfLoad.ratesPerSecond.join(', ')}/s, open loop)`, r.stockHalfLoad.steps);
  steps(`onboarding: TAP sign-in + register + confirm a passkey (${r.onboarding.perSecond}/s at ${r.onboarding.concurrency} users)`, r.onboarding.steps);
  out();
  out(`Redis per flow (one flow at a time)   ${pad('commands', 9)} ${pad('in scripts', 10)} ${pad('round trips', 11)} ${pad('new keys, B', 12)}`);
  for (const [name, c] of Object.entries(r.redisCost)) {
    out(`  ${name.padEnd(34)} ${pad(c.total.commands, 9)} ${pad(c.total.scriptCommands, 10)} ${pad(c.total.roundTrips, 11)} ${pad(c.newKeysBytesPerFlow, 12)}`);
  }
  const m = r.memory;
  out();
  out(`memory (used_memory growth over ${m.records} records): user ${m.perUserBytes} B, stored TAP ${m.perTapBytes} B; MEMORY USAGE: user keys ${m.perUserKeysBytes} B, TAP key ${m.perTapKeyBytes} B, passkey keys ${m.perPasskeyKeysBytes} B`);
  const perSignIn = r.redisCost.tap?.lastingBytesPerFlow ?? 0;
  out(`a million users with an active TAP: ${m.perUserBytes + m.perTapBytes} MB (TAPs alone ${m.perTapBytes} MB); with one live TAP sign-in each: ${m.perUserBytes + m.perTapBytes + perSignIn} MB`);
  if (r.scale) {
    const g = r.scale.twoServers.median / r.scale.oneServer.median;
    out(`scale, TAP sign-in: 1 server ${r.scale.oneServer.median}/s, 2 servers ${r.scale.twoServers.median}/s (× ${g.toFixed(2)})`);
  }
  if (r.durability) {
    const d = r.durability;
    out(`durability, onboarding: ${d.off.perSecond}/s without WAIT, ${d.on.perSecond}/s with REDIS_WAIT_REPLICAS=1; register p50 ${d.off.register.p50} → ${d.on.register.p50} ms, confirm p50 ${d.off.confirm.p50} → ${d.on.confirm.p50} ms`);
  }
  if (r.clusterError) out(`\nCluster part failed: ${r.clusterError}`);
  if (r.durabilityError) out(`\nDurability part failed: ${r.durabilityError}`);
  if (r.cluster) {
    const c = r.cluster;
    out();
    out(
      `Redis CPU per flow, ms: ${pad('single master', 13)} ${pad('+ replica', 9)} | ${pad('cluster masters', 15)} ${pad('+ replicas', 10)} | ${pad('masters/single', 14)} | ${pad('single, no replica', 18)} ${pad('masters/it', 10)}   (flows/s single, cluster; no replica)`,
    );
    for (const f of c.flows) {
      const w = f.withoutReplica;
      const errors = w.errors + f.errors.single + f.errors.cluster ? `  errors ${f.errors.single}, ${f.errors.cluster}; ${w.errors}` : '';
      out(
        `  ${`${f.flow} (${f.flows})`.padEnd(21)} ${pad(f.singleMaster.toFixed(3), 13)} ${pad(f.singleReplica.toFixed(3), 9)} | ${pad(f.masters.toFixed(3), 15)} ${pad(f.replicas.toFixed(3), 10)} | ${pad(f.ratio.toFixed(2), 14)} | ${pad(w.single.toFixed(3), 18)} ${pad(w.ratio.toFixed(2), 10)}   (${f.perSecond.single}, ${f.perSecond.cluster}; ${w.perSecond})${errors}`,
      );
    }
    out('  masters/single: each master of either with a replica, alternating halves; the target uses it. No replica: the single Redis alone, measured first, by itself.');
    const reads = c.flows.map((f) => `${f.flow} ${f.masterReads.single} → ${f.masterReads.cluster} (no replica ${f.masterReads.alone})`);
    out(`  masters' read events per flow (batches of commands), single → Cluster: ${reads.join(', ')}`);
    const i = c.idleMsPerSecond;
    out(
      `  idle, subtracted: single master ${i.singleMaster}, its replica ${i.singleReplica}, masters ${i.masters}, replicas ${i.replicas}, single without a replica ${i.withoutReplica} CPU ms per second${c.rolesChanged ? '; A NODE CHANGED ROLE MEANWHILE' : ''}`,
    );
  }
  const line = (t: TargetResult) => out(`${t.met ? 'MET   ' : 'MISSED'} ${t.target}: ${t.value} (${t.margin >= 0 ? '+' : ''}${(t.margin * 100).toFixed(0)}%)`);
  out();
  out('targets of issue #18:');
  for (const t of r.targets ?? []) line(t);
  const stockLogin = r.stockHalfLoad?.steps.login?.p99;
  if (stockLogin !== undefined) out(`       (stock oidc-provider's login step p99 at half of its max, the same machine's tail for a server that adds nothing: ${stockLogin} ms)`);
  if (r.previousTargets?.length) {
    out('targets of issue #7, for comparison:');
    for (const t of r.previousTargets) line(t);
  }
}
