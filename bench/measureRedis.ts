import { Recorder } from './Recorder.ts';
import { RedisProbe, keyFamily, type StepCost } from './RedisProbe.ts';

/** Redis cost of one kind of flow, per flow, measured with one flow at a time. */
export interface FlowCost {
  flows: number;
  total: StepCost;
  steps: Record<string, StepCost>;
  /** Bytes of the keys the flows wrote, per flow, by key family (MEMORY USAGE right after the flows). */
  memory: { family: string; keysPerFlow: number; bytesPerFlow: number; ttlSeconds: number; existedBefore: boolean }[];
  /** MEMORY USAGE of the keys the flows created (not those they only updated), per flow. */
  newKeysBytesPerFlow: number;
  /** The same, without keys that expire within 5 minutes (codes, challenges, rate-limit buckets). */
  lastingBytesPerFlow: number;
  /** used_memory growth over the flows, per flow. */
  usedMemoryPerFlow: number;
  /** What the first flow sent, step by step: each command with its first key's family (`--trace` prints it). */
  trace: Record<string, string[]>;
}

const round = (n: number) => Math.round(n * 10) / 10;

function emptyCost(): StepCost {
  return { commands: 0, scriptCommands: 0, roundTrips: 0, byCommand: {} };
}

/**
 * Run `flow` `n` times one after the other with the probe's markers after every step, and count what each step
 * sent to Redis (MONITOR) and how many round trips it waited for (Redis's network reads). Nothing else may use
 * this Redis meanwhile.
 */
export async function measureFlowCost(probe: RedisProbe, n: number, flow: (rec: Recorder, i: number) => Promise<unknown>): Promise<FlowCost> {
  // What one marker costs in network reads by itself.
  const a = await probe.mark('calibrate');
  const b = await probe.mark('calibrate');
  const overhead = b - a;
  const before = await probe.allKeys();
  await probe.startMonitor();
  const memBefore = await probe.usedMemory();
  const reads = new Map<string, number>();
  const rec = new Recorder();
  rec.recording = true;
  let last = await probe.mark('start');
  rec.afterStep = async (step) => {
    const now = await probe.mark(step);
    reads.set(step, (reads.get(step) ?? 0) + (now - last - overhead));
    last = now;
  };
  for (let i = 0; i < n; i++) await flow(rec, i);
  rec.afterStep = undefined;
  const lastStep = [...rec.steps.keys()].at(-1) ?? 'start';
  const events = await probe.drain(lastStep);
  await probe.stopMonitor();
  const memAfter = await probe.usedMemory();
  const buckets = RedisProbe.split(events);
  const trace = RedisProbe.firstFlowTrace(events, [...rec.steps.keys()]);
  const steps: Record<string, StepCost> = {};
  const total = emptyCost();
  const written: string[][] = [];
  for (const step of rec.steps.keys()) {
    const bucket = buckets.get(step) ?? { client: [], lua: [] };
    const cost = emptyCost();
    for (const [cmd] of bucket.client) {
      const c = cmd!.toLowerCase();
      cost.byCommand[c] = (cost.byCommand[c] ?? 0) + 1 / n;
      total.byCommand[c] = (total.byCommand[c] ?? 0) + 1 / n;
    }
    cost.commands = bucket.client.length / n;
    cost.scriptCommands = bucket.lua.length / n;
    cost.roundTrips = (reads.get(step) ?? 0) / n;
    total.commands += cost.commands;
    total.scriptCommands += cost.scriptCommands;
    total.roundTrips += cost.roundTrips;
    written.push(...bucket.client, ...bucket.lua);
    steps[step] = roundCost(cost);
  }
  // Memory of what the flows left behind, by key family.
  const families = new Map<string, { keys: number; bytes: number; ttl: number; existed: boolean }>();
  let newBytes = 0;
  let lastingBytes = 0;
  for (const key of RedisProbe.writtenKeys(written)) {
    const bytes = await probe.memoryUsage(key);
    if (!bytes) continue;
    const ttl = Number(await probe.redis.pttl(key));
    const existed = before.has(key);
    const family = keyFamily(key) + (existed ? ' (existed)' : '');
    const f = families.get(family) ?? { keys: 0, bytes: 0, ttl: 0, existed };
    f.keys++;
    f.bytes += bytes;
    f.ttl = Math.max(f.ttl, ttl);
    families.set(family, f);
    if (!existed) newBytes += bytes;
    if (!existed && (ttl < 0 || ttl > 300_000)) lastingBytes += bytes;
  }
  return {
    flows: n,
    total: roundCost(total),
    steps,
    memory: [...families]
      .map(([family, f]) => ({
        family,
        keysPerFlow: round(f.keys / n),
        bytesPerFlow: Math.round(f.bytes / n),
        ttlSeconds: f.ttl < 0 ? -1 : Math.round(f.ttl / 1000),
        existedBefore: f.existed,
      }))
      .sort((x, y) => y.bytesPerFlow - x.bytesPerFlow),
    newKeysBytesPerFlow: Math.round(newBytes / n),
    lastingBytesPerFlow: Math.round(lastingBytes / n),
    usedMemoryPerFlow: Math.round((memAfter - memBefore) / n),
    trace,
  };
}

function roundCost(c: StepCost): StepCost {
  return {
    commands: round(c.commands),
    scriptCommands: round(c.scriptCommands),
    roundTrips: round(c.roundTrips),
    byCommand: Object.fromEntries(Object.entries(c.byCommand).map(([k, v]) => [k, round(v)])),
  };
}
