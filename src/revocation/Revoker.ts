import type { AuditContext } from '../audit/AuditContext.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords, type AuditedUser } from '../audit/auditRecords.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import { replicated } from '../store/replicated.js';

/**
 * Ends grants, sessions and TAP sign-ins under way straight in Redis, through the same keys the oidc-provider
 * adapter and the sign-in flow write, so the CLI and the admin API can revoke without a running provider. A
 * revoked grant takes its codes and tokens with it; a revoked session stops single sign-on at once; a revoked
 * sign-in under way can neither register a passkey nor finish.
 */
/** A sign-in session that revocation ended: whose, and the applications it signed in to (client id → its `sid`). */
export interface EndedSession {
  accountId: string;
  clients: { clientId: string; sid?: string }[];
}

export class Revoker {
  /**
   * What a TAP sign-in under way (`keys.pendingLogin`) becomes when it is revoked: a marker, kept for the rest of
   * the record's life, so that the person's next step is told what happened rather than silently starting over.
   */
  static readonly endedSignIn = '{"ended":true}';

  private readonly sessionListeners: ((s: EndedSession) => void)[] = [];

  constructor(
    private readonly redis: Store,
    private readonly audit: AuditLog,
  ) {}

  /** Be told of each session revoked (back-channel logout sits above; it must not slow or fail the revocation). */
  onSessionEnded(listener: (s: EndedSession) => void): void {
    this.sessionListeners.push(listener);
  }

  /** Everything obtained by signing in with this TAP. */
  async revokeTap(userId: string, tapId: string): Promise<number> {
    return this.revokeIndex(keys.tapIndex(userId, tapId));
  }

  /** Everything obtained by signing in with this passkey (by its credential id). */
  async revokePasskey(userId: string, credentialId: string): Promise<number> {
    return this.revokeIndex(keys.passkeyIndex(userId, credentialId));
  }

  /** Every session and grant of the account ("revoke sign-in sessions"). */
  async revokeAccount(userId: string): Promise<number> {
    return this.revokeIndex(keys.accountIndex(userId));
  }

  /** `revokeAccount` as an administrator's request ("Invalidate all refresh tokens for user"), recorded as such. */
  async revokeSignInSessions(user: AuditedUser, by: AuditContext): Promise<number> {
    const revoked = await this.revokeAccount(user.id);
    await this.audit.recordDirectory(auditRecords.sessionsRevoked(by, user));
    // The revocation was confirmed above; its record is, too, before the administrator is told it is done.
    await replicated(this.redis, keys.auditDirectory());
    return revoked;
  }

  private async revokeIndex(indexKey: string): Promise<number> {
    const members = await this.redis.smembers(indexKey);
    await Promise.all(members.map((m) => this.revokeMember(m)));
    await this.redis.del(indexKey);
    await replicated(this.redis);
    return members.length;
  }

  private async revokeMember(member: string): Promise<void> {
    const [model, id] = member.split(':') as [string, string];
    if (model === 'Grant') {
      const setKey = keys.grantMembers(id);
      const tokens = await this.redis.smembers(setKey);
      await Promise.all([...tokens.map((k) => this.redis.del(k)), this.redis.del(setKey), this.redis.del(keys.storedModel('Grant', id))]);
    } else if (model === 'Pending') {
      // XX: a sign-in that finished (or was given up) meanwhile is not brought back as a marker.
      await this.redis.set(keys.pendingLogin(id), Revoker.endedSignIn, 'KEEPTTL', 'XX');
    } else if (model === 'Session') {
      const key = keys.storedModel('Session', id);
      const p = await this.redis.hget(key, 'p');
      const session = p ? (JSON.parse(p) as { uid?: string; accountId?: string; authorizations?: Record<string, { sid?: string }> }) : undefined;
      const uid = session?.uid;
      // Only the caller that deletes the session tells of its end, so two revocations at once tell it once.
      const [deleted] = await Promise.all([this.redis.del(key), ...(uid ? [this.redis.del(keys.sessionUid(uid)), this.redis.del(keys.sessionTap(uid)), this.redis.del(keys.sessionPasskey(uid))] : [])]);
      if (deleted && session?.accountId) {
        const ended: EndedSession = {
          accountId: session.accountId,
          clients: Object.entries(session.authorizations ?? {}).map(([clientId, a]) => ({ clientId, ...(a.sid ? { sid: a.sid } : {}) })),
        };
        for (const listener of this.sessionListeners) listener(ended);
      }
    }
  }
}
