import { addToTapIndexScript } from './addToTapIndexScript.js';
import type { RedisClient } from './RedisClient.js';
import { keys } from './keys.js';

/**
 * Add a session or grant to the index of the TAP it was obtained with, if that TAP is still the user's.
 * False when it was replaced or deleted meanwhile: the caller must end what it was about to index.
 */
export function indexUnderTap(redis: RedisClient, userId: string, tapId: string, member: string, expiresAtMs: number): Promise<boolean> {
  return addToTapIndexScript.run(redis, { keys: { tap: keys.tap(userId), index: keys.tapIndex(userId, tapId) }, args: { tapId, member, expiresAtMs } });
}
