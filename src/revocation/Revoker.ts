import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';

/**
 * Ends grants and sessions straight in Redis, through the same keys the oidc-provider adapter writes, so
 * the CLI and the admin API can revoke without a running provider. A revoked grant takes its codes and
 * tokens with it; a revoked session stops single sign-on at once.
 */
export class Revoker {
  constructor(private readonly redis: Store) {}

  /** Everything obtained by signing in with this TAP. */
  async revokeTap(userId: string, tapId: string): Promise<number> {
    return this.revokeIndex(keys.tapIndex(userId, tapId));
  }

  /** Every session and grant of the account ("revoke sign-in sessions"). */
  async revokeAccount(userId: string): Promise<number> {
    return this.revokeIndex(keys.accountIndex(userId));
  }

  private async revokeIndex(indexKey: string): Promise<number> {
    const members = await this.redis.smembers(indexKey);
    await Promise.all(members.map((m) => this.revokeMember(m)));
    await this.redis.del(indexKey);
    return members.length;
  }

  private async revokeMember(member: string): Promise<void> {
    const [model, id] = member.split(':') as [string, string];
    if (model === 'Grant') {
      const setKey = keys.grantMembers(id);
      const tokens = await this.redis.smembers(setKey);
      await Promise.all([...tokens.map((k) => this.redis.del(k)), this.redis.del(setKey), this.redis.del(keys.storedModel('Grant', id))]);
    } else if (model === 'Session') {
      const key = keys.storedModel('Session', id);
      const p = await this.redis.hget(key, 'p');
      const uid = p ? (JSON.parse(p) as { uid?: string }).uid : undefined;
      await Promise.all([this.redis.del(key), ...(uid ? [this.redis.del(keys.sessionUid(uid)), this.redis.del(keys.sessionTap(uid))] : [])]);
    }
  }
}
