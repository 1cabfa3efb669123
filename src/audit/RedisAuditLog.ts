import type { Clock } from '../Clock.js';
import { BadRequestError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { DirectoryAuditInput, SignInAuditInput } from './AuditEntry.js';
import type { AuditFilterSchema } from './AuditFilterSchema.js';
import { auditFilterFields } from './auditFilterFields.js';
import type { AuditLog, AuditPage, AuditQuery } from './AuditLog.js';
import { parseAuditFilter } from './parseAuditFilter.js';
import { toDirectoryAudit } from './toDirectoryAudit.js';
import { toSignIn } from './toSignIn.js';

/** Told of every record once it is stored (the security events subscribe). Must not throw or block. */
export interface AuditListener {
  directory?(input: DirectoryAuditInput, record: Record<string, unknown>): void;
  signIn?(input: SignInAuditInput, record: Record<string, unknown>): void;
}

export interface RedisAuditLogOptions {
  /** Records older than this are trimmed and never returned (option `auditRetentionDays`). */
  retentionDays: number;
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
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

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
    if (await this.append(keys.auditSignIns(), now, record)) {
      for (const l of this.listeners) this.notify(() => l.signIn?.(input, record));
    }
  }

  queryDirectory(q: AuditQuery): Promise<AuditPage<Record<string, unknown>>> {
    return this.query(keys.auditDirectory(), q, auditFilterFields.directoryAudits);
  }

  querySignIns(q: AuditQuery): Promise<AuditPage<Record<string, unknown>>> {
    return this.query(keys.auditSignIns(), q, auditFilterFields.signIns);
  }

  private notify(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.options.log.error('audit.listener.failed', { error: (err as Error).message });
    }
  }

  private async append(stream: string, now: number, record: Record<string, unknown>): Promise<boolean> {
    try {
      await this.redis.appendAudit(stream, now, Math.max(0, now - this.retentionMs), JSON.stringify(record));
      return true;
    } catch (err) {
      // The write the record describes has happened; losing its record must not undo or fail it.
      this.options.log.error('audit.write.failed', { stream, activity: record.activityDisplayName, error: (err as Error).message });
      return false;
    }
  }

  private async query(stream: string, q: AuditQuery, fields: AuditFilterSchema): Promise<AuditPage<Record<string, unknown>>> {
    const top = q.top ?? DEFAULT_TOP;
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw new BadRequestError(`$top must be a whole number from 1 to ${MAX_TOP}.`);
    const filter = parseAuditFilter(q.filter, fields);
    let end = '+';
    if (q.skipToken !== undefined) {
      const id = Buffer.from(q.skipToken, 'base64url').toString('utf8');
      if (!STREAM_ID.test(id)) throw new BadRequestError('$skiptoken is not one this service issued.');
      end = `(${id}`;
    }
    // An entry's id is never earlier than its record's time; a later server clock may have pushed it ahead.
    const oldest = Math.max(this.options.clock.now() - this.retentionMs, filter.fromMs ?? 0);
    const start = `${Math.floor(oldest)}-0`;
    if (filter.toMs !== undefined && end === '+') end = `${Math.floor(filter.toMs) + CLOCK_SLACK_MS}-18446744073709551615`;

    const value: Record<string, unknown>[] = [];
    let scanned = 0;
    let lastId: string | undefined;
    for (;;) {
      const batch = (await this.redis.xrevrange(stream, end, start, 'COUNT', BATCH)) as [string, string[]][];
      for (const [n, [id, kv]] of batch.entries()) {
        scanned++;
        lastId = id;
        const raw = kv[kv.indexOf('r') + 1];
        const record = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
        const at = record ? Date.parse(String(record[fields.time])) : Number.NaN;
        if (record && at >= oldest && filter.test(record)) {
          value.push(record);
          // A token only where more entries may follow, so that the last page says it is the last.
          const more = n < batch.length - 1 || batch.length === BATCH;
          if (value.length === top) return more ? { value, nextSkipToken: Buffer.from(id).toString('base64url') } : { value };
        }
        if (scanned >= SCAN_BUDGET) return { value, nextSkipToken: Buffer.from(id).toString('base64url') };
      }
      if (batch.length < BATCH || !lastId) return { value };
      end = `(${lastId}`;
    }
  }
}
