import type { Clock } from '../Clock.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { claimDeliveriesScript } from './claimDeliveriesScript.js';
import { Napper } from './Napper.js';

/** One POST as queued in Redis; `attempts` counts the tries made so far. */
export interface Delivery {
  url: string;
  contentType: string;
  body: string;
  attempts: number;
}

export interface DeliveryQueueOptions<J extends Delivery> {
  /** The sorted set of due times and the hash of jobs (src/store/keys.ts). */
  keys: { queue: string; jobs: string };
  /** Log events are named `<logName>.queued`, `.delivered`, `.retry`, ... */
  logName: string;
  timeoutMs: number;
  backoffMs: number;
  maxAttempts: number;
  clock: Clock;
  log: Logger;
  /** What a log line names of a job besides its id (never the body: it holds a token). */
  describe: (job: J) => Record<string, unknown>;
  /** Told once of each job's end: delivered, refused by the receiver, or given up after `maxAttempts`. */
  settled?: (job: J, outcome: 'delivered' | 'rejected' | 'dropped', detail: string) => void;
}

/** Deliveries one process makes at once. */
const CONCURRENCY = 8;
/** How often the loop looks for deliveries that are due (another server's, or retries), at most. */
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 3600_000;

/**
 * POSTs queued in Redis and sent in the background: a loop in each server process takes due deliveries (leased,
 * so two servers never send one at the same time and a crashed server's come back), POSTs them, and retries
 * failures with exponential backoff up to `maxAttempts`. The security events and the back-channel logouts share it.
 */
export class DeliveryQueue<J extends Delivery> {
  private readonly inflight = new Set<AbortController>();
  private stopped = false;
  private loopDone: Promise<void> | undefined;
  private readonly napper = new Napper();

  constructor(
    private readonly redis: Store,
    private readonly options: DeliveryQueueOptions<J>,
  ) {}

  /** Queue one job under `id` (unique, e.g. the token's `jti`), due at once. */
  async enqueue(id: string, job: J): Promise<void> {
    const { keys, clock, log, logName, describe } = this.options;
    await this.redis.multi().hset(keys.jobs, id, JSON.stringify(job)).zadd(keys.queue, clock.now(), id).exec();
    log.info(`${logName}.queued`, { ...describe(job), jti: id });
    this.napper.wake();
  }

  /** Start this process's delivery loop (a process that only queues, like the CLI, does not). */
  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Stop the loop: deliveries under way are abandoned and put back in the queue; queued ones stay for later. */
  async close(): Promise<void> {
    this.stop();
    await this.loopDone;
  }

  /** `close` without waiting: the loop ends after the deliveries under way are put back. */
  stop(): void {
    this.stopped = true;
    for (const ac of this.inflight) ac.abort();
    this.napper.wake();
  }


  private async loop(): Promise<void> {
    const { keys, timeoutMs, backoffMs, clock, log, logName } = this.options;
    while (!this.stopped) {
      let claimed: { id: string; job: string }[] = [];
      try {
        const now = clock.now();
        // The lease outlasts one attempt, so only a server that died mid-delivery lets another take it over.
        claimed = await claimDeliveriesScript.run(this.redis, {
          keys,
          args: { nowMs: now, leaseEndMs: now + timeoutMs + 30_000, count: CONCURRENCY },
        });
      } catch (err) {
        log.error(`${logName}.claim.failed`, { error: (err as Error).message });
      }
      if (this.stopped) break;
      if (claimed.length === 0) {
        await this.napper.nap(Math.min(POLL_MS, backoffMs));
        continue;
      }
      await Promise.all(claimed.map(({ id, job }) => this.deliver(id, job)));
    }
  }

  private async deliver(id: string, raw: string): Promise<void> {
    const { keys, timeoutMs, backoffMs, maxAttempts, clock, log, logName, describe, settled } = this.options;
    let job: J;
    try {
      job = JSON.parse(raw) as J;
    } catch {
      await this.forget(id);
      return;
    }
    const ac = new AbortController();
    this.inflight.add(ac);
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    let outcome: 'delivered' | 'rejected' | 'retry';
    let detail: string;
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': job.contentType, accept: 'application/json' },
        body: job.body,
        redirect: 'manual',
        signal: ac.signal,
      });
      // RFC 8935 and Back-Channel Logout alike: a 4xx (but 408 and 429) means the receiver will never take it.
      detail = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`.trim();
      if (res.ok) outcome = 'delivered';
      else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) outcome = 'rejected';
      else outcome = 'retry';
    } catch (err) {
      outcome = 'retry';
      detail = ac.signal.aborted ? `no answer within ${timeoutMs} ms` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(ac);
    }
    try {
      if (outcome === 'retry' && this.stopped) {
        // Cut short by shutdown, not the receiver's fault: due again at once, for whichever server runs next.
        await this.redis.zadd(keys.queue, clock.now(), id);
        return;
      }
      if (outcome === 'delivered') {
        await this.forget(id);
        log.info(`${logName}.delivered`, { ...describe(job), jti: id, attempts: job.attempts + 1 });
        settled?.(job, 'delivered', detail);
        return;
      }
      if (outcome === 'rejected') {
        await this.forget(id);
        log.error(`${logName}.rejected`, { ...describe(job), jti: id, detail });
        settled?.(job, 'rejected', detail);
        return;
      }
      const attempts = job.attempts + 1;
      if (attempts >= maxAttempts) {
        await this.forget(id);
        log.error(`${logName}.dropped`, { ...describe(job), jti: id, attempts, detail });
        settled?.(job, 'dropped', detail);
        return;
      }
      const wait = Math.min(backoffMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      await this.redis
        .multi()
        .hset(keys.jobs, id, JSON.stringify({ ...job, attempts }))
        .zadd(keys.queue, clock.now() + wait, id)
        .exec();
      log.warn(`${logName}.retry`, { ...describe(job), jti: id, attempts, retryInMs: wait, detail });
    } catch (err) {
      // The lease runs out and the delivery is tried again.
      log.error(`${logName}.settle.failed`, { jti: id, error: (err as Error).message });
    }
  }

  private async forget(id: string): Promise<void> {
    await this.redis.multi().zrem(this.options.keys.queue, id).hdel(this.options.keys.jobs, id).exec();
  }
}
