import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { Clock } from '../Clock.js';
import type { Users } from '../directory/Users.js';
import type { Logger } from '../log/Logger.js';
import type { Revoker } from '../revocation/Revoker.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { claimDeliveriesScript } from './claimDeliveriesScript.js';
import { Napper } from './Napper.js';

/** How often each server looks for TAPs that have run out. */
const POLL_MS = 2000;
/**
 * How long before a TAP's end the sweep ends what it carried. The sessions of a TAP sign-in leave Redis at the
 * TAP's end by their own expiry; ended later, their applications (and with them the logout tokens) would be
 * forgotten. Ending them a few seconds early keeps the rule (nothing outlives the TAP) and reaches the applications.
 */
const LEAD_MS = POLL_MS * 3;
/** A server that died mid-sweep lets another take the TAP over after this long (ending it twice is harmless). */
const LEASE_MS = 60_000;
const BATCH = 20;

export interface TapExpirySweepOptions {
  revoker: Revoker;
  directory: Users;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
}

/**
 * Ends what a TAP signed in when the TAP simply runs out, as deleting it would: its sessions (and so the
 * back-channel logout tokens of their applications, through the revoker's listeners), grants and sign-ins under
 * way, with an audit record. Every server runs the loop; the TAP ends sit in one Redis sorted set (indexed when a
 * TAP is issued, `keys.tapEndQueue`) and each is claimed under a lease by one script, so one server ends each TAP.
 */
export class TapExpirySweep {
  private stopped = false;
  private loopDone: Promise<void> | undefined;
  private readonly napper = new Napper();

  constructor(
    private readonly redis: Store,
    private readonly options: TapExpirySweepOptions,
  ) {}

  start(): void {
    this.loopDone ??= this.loop();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.napper.wake();
    await this.loopDone;
  }

  /** End what every TAP due by now carried; returns how many TAPs it took. The loop calls it; so may an operator. */
  async sweep(): Promise<number> {
    const now = this.options.clock.now();
    const claimed = await claimDeliveriesScript.run(this.redis, {
      keys: { queue: keys.tapEndQueue(), jobs: keys.tapEndJobs() },
      args: { nowMs: now + LEAD_MS, leaseEndMs: now + LEASE_MS, count: BATCH },
    });
    for (const { id: tapId, job: userId } of claimed) await this.endTap(userId, tapId);
    return claimed.length;
  }

  private async endTap(userId: string, tapId: string): Promise<void> {
    const { revoker, directory, audit, log } = this.options;
    // A TAP deleted or replaced before its end had what it carried revoked then; only one still the user's expires here.
    if ((await this.redis.hget(keys.tap(userId), 'id')) === tapId) {
      const revoked = await revoker.revokeTap(userId, tapId);
      log.info('tap.expired', { userId, tapId, revoked });
      const user = await directory.findById(userId);
      if (user) await audit.recordDirectory(auditRecords.tapExpired(user, tapId));
    }
    await this.redis.multi().zrem(keys.tapEndQueue(), tapId).hdel(keys.tapEndJobs(), tapId).exec();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let took = 0;
      try {
        took = await this.sweep();
      } catch (err) {
        this.options.log.error('tap.expirySweep.failed', { error: (err as Error).message });
      }
      if (took < BATCH && !this.stopped) await this.napper.nap(POLL_MS);
    }
  }

}
