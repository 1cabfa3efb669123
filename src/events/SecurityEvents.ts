import { randomUUID } from 'node:crypto';
import type { JWK } from 'oidc-provider';
import type { DirectoryAuditInput, SignInAuditInput } from '../audit/AuditEntry.js';
import type { AuditListener } from '../audit/AuditListener.js';
import type { Clock } from '../Clock.js';
import { DeliveryQueue, type Delivery } from './DeliveryQueue.js';
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
interface Job extends Delivery {
  type: SecurityEvent['type'];
}

/**
 * Security Event Tokens for a webhook (RFC 8935 push). An event is signed and queued in Redis without the request
 * that caused it waiting (emit returns at once); the DeliveryQueue sends it in the background, with retries. Delivery is at least once; receivers dedupe by `jti`.
 */
export class SecurityEvents implements AuditListener {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;
  private readonly queue: DeliveryQueue<Job>;

  constructor(
    redis: Store,
    private readonly options: SecurityEventsOptions,
  ) {
    const { config, clock, log } = options;
    this.queue = new DeliveryQueue<Job>(redis, {
      keys: { queue: keys.securityEventQueue(), jobs: keys.securityEventJobs() },
      logName: 'securityEvent',
      timeoutMs: config.timeoutMs,
      backoffMs: config.backoffMs,
      maxAttempts: config.maxAttempts,
      clock,
      log,
      describe: (job) => ({ type: job.type }),
    });
  }

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
    await this.queue.enqueue(jti, { url: config.url, contentType: 'application/secevent+jwt', body: token, type: event.type, attempts: 0 });
  }

  /** Start this process's delivery loop (a process that only queues, like the CLI, does not). */
  start(): void {
    this.queue.start();
  }

  /** Wait until every event emitted so far is queued in Redis. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Stop the loop: deliveries under way are abandoned and put back in the queue; queued events stay for later. */
  async close(): Promise<void> {
    this.stopped = true;
    this.queue.stop();
    await this.flush();
    await this.queue.close();
  }
}
