import type { Clock } from '../Clock.js';
import { BadRequestError } from '../errors.js';
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
 * and a time range in a `$filter` narrows the ids read. Writing never fails the caller: an audit record that
 * cannot be stored is logged instead.
 */
export class RedisAuditLog implements AuditLog {
  private readonly listeners: AuditListener[] = [];

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
    if (await this.append(keys.auditDirectory(), now, record)) {
      for (const l of this.listeners) this.notify(() => l.directory?.(input, record));
    }
  }

  async recordSignIn(input: SignInAuditInput): Promise<void> {
    const now = this.options.clock.now();
    const record = toSignIn(input, now);
    // Anyone can make up a name and fail: those records go to a log of their own, capped by count, so that a
    // flood of them can neither fill Redis for the whole retention nor push real accounts' records out.
    const unknown = input.userId === undefined && input.result === 'failure';
    const appended = unknown
      ? await this.append(keys.auditUnknownSignIns(), now, record, this.options.unknownAccountsKept)
      : await this.append(keys.auditSignIns(), now, record);
    if (appended) {
      for (const l of this.listeners) this.notify(() => l.signIn?.(input, record));
    }
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

  private async append(stream: string, now: number, record: Record<string, unknown>, maxLength?: number): Promise<boolean> {
    try {
      const minMs = Math.max(0, now - this.retentionMs);
      await appendAuditScript.run(this.redis, { keys: { stream }, args: { nowMs: now, minMs, record: JSON.stringify(record), maxLength } });
      return true;
    } catch (err) {
      // The write the record describes has happened; losing its record must not undo or fail it.
      this.options.log.error('audit.write.failed', { stream, activity: record.activityDisplayName, error: (err as Error).message });
      return false;
    }
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
