import { Redis } from 'ioredis';

/** One command Redis executed, as MONITOR reported it. */
interface Monitored {
  args: string[];
  /** Run by a Lua script rather than sent by a client. */
  lua: boolean;
}

/** What one flow step cost Redis, averaged over the flows measured. */
export interface StepCost {
  /** Commands clients sent (EVALSHA counts once). */
  commands: number;
  /** Commands run inside scripts. */
  scriptCommands: number;
  /** Network reads Redis processed: one per pipelined batch, so the round trips the step waited for. */
  roundTrips: number;
  /** Client commands by name. */
  byCommand: Record<string, number>;
}

const MARK = 'bench:mark:';
const WRITES = new Set(['set', 'hset', 'hsetnx', 'sadd', 'zadd', 'pexpireat', 'pexpire', 'expire', 'rpush', 'lpush', 'incr', 'hincrby', 'setex', 'psetex', 'getset']);

/** Key with its ids replaced by `*`, so the keys of every flow fall into the same family. */
export function keyFamily(key: string): string {
  return key.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '*').replace(/[A-Za-z0-9_-]{16,}/g, (m) => (/[0-9_-]/.test(m) ? '*' : m));
}

/**
 * A side connection to the bench's Redis: INFO, MEMORY USAGE, and MONITOR with markers between flow steps, so
 * each step's commands and round trips can be told apart while flows run one at a time.
 */
export class RedisProbe {
  readonly redis: Redis;
  private monitor: Redis | undefined;
  private events: Monitored[] = [];

  private constructor(redis: Redis) {
    this.redis = redis;
  }

  static async open(url: string): Promise<RedisProbe> {
    const redis = new Redis(url, { enableAutoPipelining: false, lazyConnect: true });
    await redis.connect();
    return new RedisProbe(redis);
  }

  async info(section: string): Promise<Record<string, string>> {
    const text = await this.redis.info(section);
    return Object.fromEntries(
      text
        .split('\r\n')
        .filter((l) => l.includes(':') && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
    );
  }

  async usedMemory(): Promise<number> {
    return Number((await this.info('memory')).used_memory);
  }

  /** Bytes the key takes, with all its nested values (MEMORY USAGE … SAMPLES 0); 0 when gone. */
  async memoryUsage(key: string): Promise<number> {
    return Number((await this.redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  }

  /** Every key name (SCAN), to tell the keys a flow creates from those it updates. */
  async allKeys(): Promise<Set<string>> {
    const out = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'COUNT', 1000);
      for (const k of keys) out.add(k);
      cursor = next;
    } while (cursor !== '0');
    return out;
  }

  async startMonitor(): Promise<void> {
    this.monitor = await this.redis.monitor();
    this.monitor.on('monitor', (_time: string, args: string[], source: string) => {
      this.events.push({ args, lua: source === 'lua' });
    });
    await new Promise((r) => setTimeout(r, 50));
  }

  async stopMonitor(): Promise<void> {
    this.monitor?.disconnect();
    this.monitor = undefined;
  }

  /** Put a marker into the MONITOR stream (in execution order) and return Redis's network reads so far. */
  async mark(label: string): Promise<number> {
    const results = await this.redis.pipeline().echo(MARK + label).info('stats').exec();
    const stats = String(results?.[1]?.[1] ?? '');
    return Number(/total_reads_processed:(\d+)/.exec(stats)?.[1]);
  }

  /** Wait until the marker has come through MONITOR, then hand over (and forget) the events so far. */
  async drain(label: string): Promise<Monitored[]> {
    const deadline = Date.now() + 2000;
    while (!this.events.some((e) => e.args[0]?.toLowerCase() === 'echo' && e.args[1] === MARK + label) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Split drained events at the markers: label → the client and script commands that ran before it. */
  static split(events: Monitored[]): Map<string, { client: string[][]; lua: string[][] }> {
    const out = new Map<string, { client: string[][]; lua: string[][] }>();
    let bucket = { client: [] as string[][], lua: [] as string[][] };
    for (const e of events) {
      const cmd = e.args[0]?.toLowerCase() ?? '';
      if (cmd === 'echo' && e.args[1]?.startsWith(MARK)) {
        const label = e.args[1].slice(MARK.length);
        const prev = out.get(label);
        if (prev) {
          prev.client.push(...bucket.client);
          prev.lua.push(...bucket.lua);
        } else out.set(label, bucket);
        bucket = { client: [], lua: [] };
      } else if (cmd !== 'info' && cmd !== 'monitor') {
        (e.lua ? bucket.lua : bucket.client).push(e.args);
      }
    }
    return out;
  }

  /**
   * The commands before each step's first marker (the first flow's), as `command key-family`, scripts' own
   * commands indented: enough to see which reads repeat and which wait for which.
   */
  static firstFlowTrace(events: Monitored[], steps: string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    let lines: string[] = [];
    for (const e of events) {
      const cmd = e.args[0]?.toLowerCase() ?? '';
      if (cmd === 'echo' && e.args[1]?.startsWith(MARK)) {
        const label = e.args[1].slice(MARK.length);
        if (steps.includes(label) && !(label in out)) out[label] = lines;
        lines = [];
      } else if (cmd !== 'info' && cmd !== 'monitor') {
        const key = cmd === 'evalsha' || cmd === 'eval' ? e.args.slice(3, 3 + Number(e.args[2])).map(keyFamily).join(' ') : keyFamily(e.args[1] ?? '');
        lines.push(`${e.lua ? '    ' : ''}${cmd} ${key}`);
      }
    }
    return out;
  }

  /** Keys that `commands` wrote to. */
  static writtenKeys(commands: string[][]): string[] {
    const keys = new Set<string>();
    for (const [cmd, ...args] of commands) {
      const c = cmd!.toLowerCase();
      if (WRITES.has(c) && args[0]) keys.add(args[0]);
      if (c === 'evalsha' || c === 'eval') {
        const n = Number(args[1]);
        for (let i = 0; i < n; i++) if (args[2 + i]) keys.add(args[2 + i]!);
      }
    }
    return [...keys];
  }

  close(): void {
    this.monitor?.disconnect();
    this.redis.disconnect();
  }
}
