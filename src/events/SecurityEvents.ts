import { randomUUID } from 'node:crypto';
import type { JWK } from 'oidc-provider';
import type { DirectoryAuditInput, SignInAuditInput } from '../audit/AuditEntry.js';
import type { AuditListener } from '../audit/AuditListener.js';
import type { Clock } from '../Clock.js';
import { claimSecurityEventsScript } from './claimSecurityEventsScript.js';
import type { SecurityEventsConfig } from './SecurityEventsConfig.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { SecurityEvent } from './SecurityEvent.js';
import { securityEventFromAudit } from './securityEventFromAudit.js';
import { signSecurityEventToken } from './signSecurityEventToken.js';

export interface SecurityEventsOptions {
  config: SecurityEventsConfig;
  /** The provider's issuer: the tokens' `iss`. */
  issuer: string;
  /** The provider's private signing keys. */
  jwks: { keys: JWK[] };
  clock: Clock;
  log: Logger;
}

/** A delivery as queued in Redis. */
interface Job {
  token: string;
  type: SecurityEvent['type'];
  attempts: number;
}

/** Deliveries one process makes at once. */
const CONCURRENCY = 8;
/** How often the loop looks for deliveries that are due (another server's, or retries), at most. */
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 3600_000;

/**
 * Security Event Tokens for a webhook (RFC 8935 push). An event is signed and queued in Redis without the request
 * that caused it waiting (emit returns at once); a loop in each server process takes due deliveries (leased, so
 * two servers never send one at the same time and a crashed server's come back), POSTs them, and retries failures
 * with exponential backoff up to `maxAttempts`. Delivery is at least once; receivers dedupe by `jti`.
 */
export class SecurityEvents implements AuditListener {
  private readonly pending = new Set<Promise<void>>();
  private readonly inflight = new Set<AbortController>();
  private stopped = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly redis: Store,
    private readonly options: SecurityEventsOptions,
  ) {}

  // The audit log tells of every record; these pick out the security events among them.
  directory(input: DirectoryAuditInput): void {
    const e = securityEventFromAudit.directory(input, this.options.clock.now());
    if (e) this.emit(e);
  }

  signIn(input: SignInAuditInput): void {
    const e = securityEventFromAudit.signIn(input, this.options.clock.now());
    if (e) this.emit(e);
  }

  /** Sign and queue one event; never throws and never makes the caller wait. */
  emit(event: SecurityEvent): void {
    if (this.stopped) {
      this.options.log.warn('securityEvent.notQueued', { type: event.type, why: 'shutting down' });
      return;
    }
    const p: Promise<void> = this.enqueue(event)
      .catch((err: unknown) => this.options.log.error('securityEvent.enqueue.failed', { type: event.type, error: (err as Error).message }))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async enqueue(event: SecurityEvent): Promise<void> {
    const { config, issuer, jwks, clock } = this.options;
    const jti = randomUUID();
    const now = clock.now();
    const token = await signSecurityEventToken(event, jti, now, { issuer, audience: config.audience, jwks });
    const job: Job = { token, type: event.type, attempts: 0 };
    await this.redis
      .multi()
      .hset(keys.securityEventJobs(), jti, JSON.stringify(job))
      .zadd(keys.securityEventQueue(), now, jti)
      .exec();
    this.options.log.info('securityEvent.queued', { type: event.type, jti });
    this.wakeUp?.();
  }

  /** Start this process's delivery loop (a process that only queues, like the CLI, does not). */
  start(): void {
    this.loopDone ??= this.loop();
  }

  /** Wait until every event emitted so far is queued in Redis. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Stop the loop: deliveries under way are abandoned and put back in the queue; queued events stay for later. */
  async close(): Promise<void> {
    this.stopped = true;
    for (const ac of this.inflight) ac.abort();
    this.wakeUp?.();
    await this.flush();
    await this.loopDone;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async loop(): Promise<void> {
    const { config, clock, log } = this.options;
    while (!this.stopped) {
      let claimed: { id: string; job: string }[] = [];
      try {
        const now = clock.now();
        // The lease outlasts one attempt, so only a server that died mid-delivery lets another take it over.
        claimed = await claimSecurityEventsScript.run(this.redis, {
          keys: { queue: keys.securityEventQueue(), jobs: keys.securityEventJobs() },
          args: { nowMs: now, leaseEndMs: now + config.timeoutMs + 30_000, count: CONCURRENCY },
        });
      } catch (err) {
        log.error('securityEvent.claim.failed', { error: (err as Error).message });
      }
      if (this.stopped) break;
      if (claimed.length === 0) {
        await this.sleep(Math.min(POLL_MS, config.backoffMs));
        continue;
      }
      await Promise.all(claimed.map(({ id, job }) => this.deliver(id, job)));
    }
  }

  private async deliver(id: string, raw: string): Promise<void> {
    const { config, clock, log } = this.options;
    let job: Job;
    try {
      job = JSON.parse(raw) as Job;
    } catch {
      await this.forget(id);
      return;
    }
    const ac = new AbortController();
    this.inflight.add(ac);
    const timer = setTimeout(() => ac.abort(), config.timeoutMs);
    let outcome: 'delivered' | 'rejected' | 'retry';
    let detail: string;
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/secevent+jwt', accept: 'application/json' },
        body: job.token,
        redirect: 'manual',
        signal: ac.signal,
      });
      // RFC 8935: 202 accepted; 400 with an error code means the receiver will never take this token.
      detail = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`.trim();
      if (res.ok) outcome = 'delivered';
      else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) outcome = 'rejected';
      else outcome = 'retry';
    } catch (err) {
      outcome = 'retry';
      detail = ac.signal.aborted ? `no answer within ${config.timeoutMs} ms` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(ac);
    }
    try {
      if (outcome === 'retry' && this.stopped) {
        // Cut short by shutdown, not the receiver's fault: due again at once, for whichever server runs next.
        await this.redis.zadd(keys.securityEventQueue(), clock.now(), id);
        return;
      }
      if (outcome === 'delivered') {
        await this.forget(id);
        log.info('securityEvent.delivered', { type: job.type, jti: id, attempts: job.attempts + 1 });
        return;
      }
      if (outcome === 'rejected') {
        await this.forget(id);
        log.error('securityEvent.rejected', { type: job.type, jti: id, detail });
        return;
      }
      const attempts = job.attempts + 1;
      if (attempts >= config.maxAttempts) {
        await this.forget(id);
        log.error('securityEvent.dropped', { type: job.type, jti: id, attempts, detail });
        return;
      }
      const wait = Math.min(config.backoffMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      await this.redis
        .multi()
        .hset(keys.securityEventJobs(), id, JSON.stringify({ ...job, attempts }))
        .zadd(keys.securityEventQueue(), clock.now() + wait, id)
        .exec();
      log.warn('securityEvent.retry', { type: job.type, jti: id, attempts, retryInMs: wait, detail });
    } catch (err) {
      // The lease runs out and the delivery is tried again.
      log.error('securityEvent.settle.failed', { jti: id, error: (err as Error).message });
    }
  }

  private async forget(id: string): Promise<void> {
    await this.redis.multi().zrem(keys.securityEventQueue(), id).hdel(keys.securityEventJobs(), id).exec();
  }
}
