import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ClientMetadata, JWK, Provider } from 'oidc-provider';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { Clock } from '../Clock.js';
import type { Logger } from '../log/Logger.js';
import type { EndedSession } from '../revocation/Revoker.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { DeliveryQueue, type Delivery } from './DeliveryQueue.js';
import { providerSigningKey } from './providerSigningKey.js';

export interface BackchannelLogoutOptions {
  /** The provider's issuer: the tokens' `iss`. */
  issuer: string;
  /** The provider's private signing keys. */
  jwks: { keys: JWK[] };
  /** The configured clients; those with a `backchannel_logout_uri` are told. */
  clients: ClientMetadata[];
  audit: AuditLog;
  clock: Clock;
  log: Logger;
}

interface Job extends Delivery {
  clientId: string;
  userId: string;
}

const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token is a notice of something that already happened: worth a few tries over about an hour, no more. */
const DELIVERY = { timeoutMs: 5000, backoffMs: 1000, maxAttempts: 12 };

/**
 * OpenID Connect Back-Channel Logout 1.0 for the sessions revocation ends (a TAP deleted or replaced, the user's
 * sign-in sessions revoked, the user deleted or disabled): each application the session signed in to that
 * registered a `backchannel_logout_uri` is sent a logout token, queued in Redis and delivered in the background by
 * the DeliveryQueue (leased, so one server sends each), and each delivery's end is in the audit log.
 */
export class BackchannelLogout {
  private readonly queue: DeliveryQueue<Job>;
  private readonly pending = new Set<Promise<void>>();
  private readonly receivers: Map<string, string>;

  constructor(
    redis: Store,
    private readonly options: BackchannelLogoutOptions,
  ) {
    this.receivers = new Map(options.clients.flatMap((c) => (typeof c.backchannel_logout_uri === 'string' ? [[c.client_id, c.backchannel_logout_uri] as const] : [])));
    this.queue = new DeliveryQueue<Job>(redis, {
      keys: { queue: keys.backchannelLogoutQueue(), jobs: keys.backchannelLogoutJobs() },
      logName: 'backchannelLogout',
      ...DELIVERY,
      clock: options.clock,
      log: options.log,
      describe: (job) => ({ clientId: job.clientId, userId: job.userId }),
      settled: (job, outcome, detail) =>
        void options.audit
          .recordDirectory(auditRecords.backchannelLogout(job.userId, job.clientId, outcome === 'delivered' ? 'success' : 'failure', `${outcome} (${detail})`))
          .catch((err: unknown) => options.log.error('backchannelLogout.audit.failed', { error: (err as Error).message })),
    });
  }

  /** Queue a logout token for each application of the session that asked for them; never throws nor waits. */
  sessionEnded(session: EndedSession): void {
    for (const { clientId, sid } of session.clients) {
      const url = this.receivers.get(clientId);
      if (!url) continue;
      const p: Promise<void> = this.enqueue(url, clientId, session.accountId, sid)
        .catch((err: unknown) => this.options.log.error('backchannelLogout.enqueue.failed', { clientId, error: (err as Error).message }))
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /**
   * Send the logout tokens of a logout at /session/end through the queue too, instead of oidc-provider's own
   * POST made while the browser waits: the one server handling the logout queues each once, sent in the background
   * with retries and audited like the others. oidc-provider calls this method for each client of the session that
   * registered a `backchannel_logout_uri`.
   */
  takeOverLogoutsOf(provider: Provider): void {
    const queue = (clientId: string, sub: string, sid: string | undefined): Promise<void> => {
      const url = this.receivers.get(clientId);
      return url ? this.enqueue(url, clientId, sub, sid) : Promise.resolve();
    };
    (provider.Client.prototype as unknown as { backchannelLogout: (this: { clientId: string }, sub: string, sid?: string) => Promise<void> }).backchannelLogout =
      function (sub, sid) {
        return queue(this.clientId, sub, sid);
      };
  }

  private async enqueue(url: string, clientId: string, userId: string, sid: string | undefined): Promise<void> {
    const { issuer, jwks, clock } = this.options;
    const jti = randomUUID();
    const k = await providerSigningKey(jwks);
    // The sid always when known: the spec lets a token carry it, and an application that keys sessions by it needs it.
    const token = await new SignJWT({ sub: userId, ...(sid ? { sid } : {}), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
      .setProtectedHeader({ alg: k.alg, typ: 'logout+jwt', ...(k.kid ? { kid: k.kid } : {}) })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setIssuedAt(Math.floor(clock.now() / 1000))
      // Valid for as long as the retries last (about 35 minutes of backoff), not beyond.
      .setExpirationTime(Math.floor(clock.now() / 1000) + 3600)
      .setJti(jti)
      .sign(k.key);
    await this.queue.enqueue(jti, { url, contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ logout_token: token }).toString(), clientId, userId, attempts: 0 });
  }

  /** Start this process's delivery loop (a process that only queues, like the CLI, does not). */
  start(): void {
    this.queue.start();
  }

  /** Wait until every logout token so far is queued in Redis. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.queue.stop();
    await this.flush();
    await this.queue.close();
  }
}
