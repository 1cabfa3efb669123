import { randomBytes } from 'node:crypto';
import type { Passkey } from '../../src/passkeys/Passkey.js';
import type { Store } from '../../src/store/connectRedis.js';
import { keys } from '../../src/store/keys.js';

/**
 * Store a passkey for `userId` the way PasskeyService.register does (the user's hash of credential id → record,
 * and the credential's owner), without a WebAuthn ceremony: for tests that only list, read and delete passkeys.
 */
export async function seedPasskey(redis: Store, userId: string, name = 'Seeded passkey', now = Date.now()): Promise<Passkey> {
  const id = randomBytes(16).toString('base64url');
  const passkey: Passkey = {
    id,
    userId,
    publicKey: randomBytes(77).toString('base64url'),
    counter: 0,
    transports: ['internal', 'hybrid'],
    aaguid: '00000000-0000-0000-0000-000000000000',
    deviceType: 'multiDevice',
    backedUp: true,
    name,
    createdAt: now,
  };
  if ((await redis.set(keys.credentialOwner(id), userId, 'NX')) !== 'OK') throw new Error('credential id taken');
  await redis.hset(keys.passkeys(userId), id, JSON.stringify(passkey));
  return passkey;
}
