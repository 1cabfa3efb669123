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
  tapToStockRatio: { perRun: number[]; median: number };
  halfLoad: ScenarioResult & { ratesPerSecond: number[] };
  onboarding: { perSecond: number; concurrency: number; steps: Record<string, LatencySummary> };
  redisCost: Record<string, FlowCost>;
  memory: { records: number; perUserBytes: number; perUserKeysBytes: number; perTapBytes: number; perTapKeyBytes: number; perPasskeyKeysBytes: number };
  scale?: { oneServer: ScenarioResult; twoServers: ScenarioResult };
  /** Onboarding (its passkey registration waits for a replica with the option on) without and with REDIS_WAIT_REPLICAS=1. */
  durability?: { onboardings: number; off: DurabilityRun; on: DurabilityRun };
  targets?: TargetResult[];
}

function target(name: string, value: number, limit: number, atMost: boolean): TargetResult {
  const met = atMost ? value <= limit : value >= limit;
  const margin = Math.round((atMost ? (limit - value) / limit : (value - limit) / limit) * 1000) / 1000;
  return { target: name, value, limit, met, margin };
}

/** The targets of issue #7, against this run's numbers. */
export function evaluateTargets(r: Report): TargetResult[] {
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
  out(`runs: ${String(r.settings.runs)} × ${Number(r.settings.durationMs) / 1000} s after ${Number(r.settings.warmupMs) / 1000} s warm-up, ${String(r.settings.concurrency)} virtual users`);
  out();
  out(`${'scenario'.padEnd(28)} ${pad('median/s', 9)} ${pad('min–max', 16)}  ${pad('redis', 5)}  errors   (redis: CPU cores redis-server used)`);
  for (const [name, s] of Object.entries(r.scenarios)) {
    out(`${name.padEnd(28)} ${pad(s.median.toFixed(1), 9)} ${pad(`${s.min.toFixed(0)}–${s.max.toFixed(0)}`, 16)}  ${pad(s.redisCpuCores ?? '', 5)}  ${s.errors}${s.errorSamples[0] ? ` (${s.errorSamples[0]})` : ''}`);
  }
  out(`TAP sign-in / stock sign-in: ${r.tapToStockRatio.median} (runs: ${r.tapToStockRatio.perRun.join(', ')})`);
  out();
  for (const name of ['stock sign-in', 'TAP sign-in', 'passkey sign-in', 'refresh']) {
    const s = r.scenarios[name];
    if (s) steps(`${name}, at full load`, s.steps);
  }
  steps(`TAP sign-in at half of max (${r.halfLoad.ratesPerSecond.join(', ')}/s, open loop)`, r.halfLoad.steps);
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
  out();
  for (const t of r.targets ?? []) out(`${t.met ? 'MET   ' : 'MISSED'} ${t.target}: ${t.value} (${t.margin >= 0 ? '+' : ''}${(t.margin * 100).toFixed(0)}%)`);
}
