import { addToPasskeyIndexScript } from './addToPasskeyIndexScript.js';
import { indexUnderTap } from './indexUnderTap.js';
import type { RedisClient } from './RedisClient.js';
import { keys } from './keys.js';
import type { SignInLink } from './TapSessionLinks.js';

/**
 * Add a session or grant to the index of the TAP or the passkey it was obtained with, if that is still the
 * user's. False when it was replaced or deleted meanwhile: the caller must end what it was about to index.
 */
export function indexUnderSignIn(redis: RedisClient, link: SignInLink, member: string, expiresAtMs: number): Promise<boolean> {
  if ('tapId' in link) return indexUnderTap(redis, link.accountId, link.tapId, member, expiresAtMs);
  return addToPasskeyIndexScript.run(redis, {
    keys: { passkeys: keys.passkeys(link.accountId), index: keys.passkeyIndex(link.accountId, link.passkeyId) },
    args: { credentialId: link.passkeyId, member, expiresAtMs },
  });
}
