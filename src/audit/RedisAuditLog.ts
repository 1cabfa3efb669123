import type { Clock } from '../Clock.js';
import { BadRequestError } from '../errors.js';
import { isRedisUnavailable } from '../store/isRedisUnavailable.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { compileFilter } from '../odata/compileFilter.js';
import type { CompiledFilter } from '../odata/CompiledFilter.js';
import type { FilterFields } from '../odata/FilterFields.js';
import { parseFilter } from '../odata/parseFilter.js';
import { appendAuditScript } from './appendAuditScript.js';
import type { DirectoryAuditInput, SignInAuditInput } from './AuditEntry.js';
import type { AuditListener } from './AuditListener.js';
import { auditFilterFields } from './auditFilterFields.js';
import type { AuditLog, AuditPage, AuditQuery } from './AuditLog.js';
import { toDirectoryAudit } from './toDirectoryAudit.js';
import { toSignIn } from './toSignIn.js';

/** Pauses between the tries of an audit write that met an outage: about 1.5 s in all, a Cluster or Sentinel failover's usual length. */
const RETRY_DELAYS_MS = [100, 200, 400, 800];
/** How often records kept through an outage are tried again. */
const BACKLOG_RETRY_MS = 500;

/** A record waiting for Redis, and what to do once it is stored (tell the listeners). */
interface Pending {
  stream: string;
  now: number;
  record: Record<string, unknown>;
  maxLength: number | undefined;
  stored: () => void;
}

export interface RedisAuditLogOptions {
  /** Records older than this are trimmed and never returned (option `auditRetentionDays`). */
  retentionDays: number;
  /** Failed sign-ins under unknown identifiers kept at most (option `unknownAccountSignInsKept`). */
  unknownAccountsKept: number;
  clock: Clock;
  log: Logger;
}

/** Graph's default page size of the audit logs; `$top` may ask for 1 to MAX_TOP. */
const DEFAULT_TOP = 100;
const MAX_TOP = 999;
/** Entries read per round trip while filtering. */
const BATCH = 200;
/**
 * Entries one query reads at most. A rare match in a long log ends the page early, with a `$skiptoken` that
 * goes on from where the scan stopped (as Graph does with short pages), so that no request reads the whole log.
 */
const SCAN_BUDGET = 20_000;
/** Clocks of the servers of one deployment may differ this much; a range on ids allows for it. */
const CLOCK_SLACK_MS = 60_000;
/** A page's end: the last entry's id, and which of the streams read together it came from (`~1`, when not the first). */
const SKIP_TOKEN = /^(\d{1,20})-(\d{1,20})(?:~(\d))?$/;

/** An entry read back: its id, and its fields as Redis lists them. */
type Entry = [id: string, fields: string[]];

/** Stream ids in order: by time, then by sequence. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

/**
 * The audit log in two Redis streams, one per Graph log. Each entry's id comes from the product's clock, so
 * retention is a MINID trim at every append (records older than the retention are gone, whatever their number)
 * and a time range in a `$filter` narrows the ids read.
 *
 * An audit record of a completed action is never dropped. The write is tried again for a moment (most failovers
 * end within it); one that still meets an outage is kept in memory and written, in order, as soon as Redis answers
 * (`audit.write.deferred` logs the whole record first, so that even a process killed meanwhile leaves it in the
 * log). Refusing the request instead would not undo the action, which is already stored. A record Redis refuses
 * for another reason (a bug) fails the caller.
 */
export class RedisAuditLog implements AuditLog {
  private readonly listeners: AuditListener[] = [];
  private readonly backlog: Pending[] = [];
  private backlogTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Store,
    private readonly options: RedisAuditLogOptions,
  ) {}

  subscribe(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  private get retentionMs(): number {
    return this.options.retentionDays * 24 * 3600 * 1000;
  }

  async recordDirectory(input: DirectoryAuditInput): Promise<void> {
    const now = this.options.clock.now();
    const record = toDirectoryAudit(input, now);
    await this.append(keys.auditDirectory(), now, record, undefined, () => {
      for (const l of this.listeners) this.notify(() => l.directory?.(input, record));
    });
  }

  async recordSignIn(input: SignInAuditInput): Promise<void> {
    const now = this.options.clock.now();
    const record = toSignIn(input, now);
    // Anyone can make up a name and fail: those records go to a log of their own, capped by count, so that a
    // flood of them can neither fill Redis for the whole retention nor push real accounts' records out.
    const unknown = input.userId === undefined && input.result === 'failure';
    const stored = () => {
      for (const l of this.listeners) this.notify(() => l.signIn?.(input, record));
    };
    if (unknown) await this.append(keys.auditUnknownSignIns(), now, record, this.options.unknownAccountsKept, stored);
    else await this.append(keys.auditSignIns(), now, record, undefined, stored);
  }

  queryDirectory(q: AuditQuery): Promise<AuditPage<Record<string, unknown>>> {
    return this.query([keys.auditDirectory()], q, auditFilterFields.directoryAudits);
  }

  querySignIns(q: AuditQuery): Promise<AuditPage<Record<string, unknown>>> {
    return this.query([keys.auditSignIns(), keys.auditUnknownSignIns()], q, auditFilterFields.signIns);
  }

  private notify(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.options.log.error('audit.listener.failed', { error: (err as Error).message });
    }
  }

  private async append(stream: string, now: number, record: Record<string, unknown>, maxLength: number | undefined, stored: () => void): Promise<void> {
    const pending: Pending = { stream, now, record, maxLength, stored };
    // Behind records still waiting, to keep the order of the log.
    if (this.backlog.length > 0) return this.defer(pending);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(pending);
        return stored();
      } catch (err) {
        if (!isRedisUnavailable(err)) {
          this.options.log.error('audit.write.failed', { stream, record, error: (err as Error).message });
          throw err;
        }
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) return this.defer(pending, err as Error);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private write({ stream, now, record, maxLength }: Pending): Promise<string> {
    const minMs = Math.max(0, now - this.retentionMs);
    // A try whose answer was lost may have been stored: a record twice is better than none.
    return appendAuditScript.run(this.redis, { keys: { stream }, args: { nowMs: now, minMs, record: JSON.stringify(record), maxLength } });
  }

  private defer(pending: Pending, err?: Error): void {
    this.backlog.push(pending);
    this.options.log.warn('audit.write.deferred', { stream: pending.stream, record: pending.record, waiting: this.backlog.length, ...(err ? { error: err.message } : {}) });
    this.backlogTimer ??= setTimeout(() => void this.drain(), BACKLOG_RETRY_MS);
  }

  /** Write the records kept through an outage, oldest first, until one fails again. */
  private async drain(): Promise<void> {
    while (this.backlog.length > 0) {
      const next = this.backlog[0]!;
      try {
        await this.write(next);
      } catch (err) {
        if (!isRedisUnavailable(err)) {
          this.backlog.shift();
          this.options.log.error('audit.write.failed', { stream: next.stream, record: next.record, error: (err as Error).message });
          continue;
        }
        this.backlogTimer = setTimeout(() => void this.drain(), BACKLOG_RETRY_MS);
        return;
      }
      this.backlog.shift();
      next.stored();
    }
    this.backlogTimer = undefined;
    this.options.log.info('audit.write.caughtUp', {});
  }

  /** Records still waiting for Redis: one last try, then each is logged as failed (the log keeps it). */
  async close(): Promise<void> {
    clearTimeout(this.backlogTimer);
    this.backlogTimer = undefined;
    if (this.backlog.length === 0) return;
    await this.drain();
    clearTimeout(this.backlogTimer);
    this.backlogTimer = undefined;
    for (const p of this.backlog.splice(0)) this.options.log.error('audit.write.failed', { stream: p.stream, record: p.record, error: 'Redis unavailable at shutdown' });
  }

  /**
   * The entries of `streams` between `start` and each stream's `ends`, newest first, as one sequence (ties of
   * one id: the first stream first). Each stream is read in batches, only as far as the caller goes.
   */
  private async *newestFirst(streams: string[], ends: string[], start: string): AsyncGenerator<[Entry, number]> {
    const cursors = streams.map((stream, i) => ({ stream, end: ends[i]!, buffer: [] as Entry[], done: false }));
    for (;;) {
      await Promise.all(
        cursors.map(async (c) => {
          if (c.buffer.length > 0 || c.done) return;
          c.buffer = (await this.redis.xrevrange(c.stream, c.end, start, 'COUNT', BATCH)) as Entry[];
          c.done = c.buffer.length < BATCH;
          if (c.buffer.length > 0) c.end = `(${c.buffer.at(-1)![0]}`;
        }),
      );
      let next = -1;
      cursors.forEach((c, i) => {
        if (c.buffer.length > 0 && (next < 0 || compareIds(c.buffer[0]![0], cursors[next]!.buffer[0]![0]) > 0)) next = i;
      });
      if (next < 0) return;
      yield [cursors[next]!.buffer.shift()!, next];
    }
  }

  private async query(streams: string[], q: AuditQuery, fields: FilterFields & { time: string }): Promise<AuditPage<Record<string, unknown>>> {
    const top = q.top ?? DEFAULT_TOP;
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw new BadRequestError(`$top must be a whole number from 1 to ${MAX_TOP}.`);
    const filter = q.filter === undefined || q.filter.trim() === '' ? { test: () => true } as CompiledFilter : compileFilter(parseFilter(q.filter), fields);
    let ends = streams.map(() => '+');
    if (q.skipToken !== undefined) {
      const m = SKIP_TOKEN.exec(Buffer.from(q.skipToken, 'base64url').toString('utf8'));
      const from = Number(m?.[3] ?? 0);
      if (!m || from >= streams.length) throw new BadRequestError('$skiptoken is not one this service issued.');
      // Streams up to the one the last page ended in go on after its id; the later ones may still hold that id.
      ends = streams.map((_, i) => (i <= from ? `(${m[1]}-${m[2]}` : `${m[1]}-${m[2]}`));
    }
    const skipToken = (id: string, stream: number) => Buffer.from(stream === 0 ? id : `${id}~${stream}`).toString('base64url');
    // An entry's id is never earlier than its record's time; a later server clock may have pushed it ahead.
    const oldest = Math.max(this.options.clock.now() - this.retentionMs, filter.fromMs ?? 0);
    const start = `${Math.floor(oldest)}-0`;
    if (filter.toMs !== undefined && q.skipToken === undefined) ends = ends.map(() => `${Math.floor(filter.toMs!) + CLOCK_SLACK_MS}-18446744073709551615`);

    const value: Record<string, unknown>[] = [];
    let scanned = 0;
    const entries = this.newestFirst(streams, ends, start);
    for await (const [[id, kv], stream] of entries) {
      scanned++;
      const raw = kv[kv.indexOf('r') + 1];
      const record = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      const at = record ? Date.parse(String(record[fields.time])) : Number.NaN;
      if (record && at >= oldest && filter.test(record)) {
        value.push(record);
        if (value.length === top) {
          // A token only where more entries follow, so that the last page says it is the last.
          const more = !(await entries.next()).done;
          return more ? { value, nextSkipToken: skipToken(id, stream) } : { value };
        }
      }
      if (scanned >= SCAN_BUDGET) return { value, nextSkipToken: skipToken(id, stream) };
    }
    return { value };
  }
}
