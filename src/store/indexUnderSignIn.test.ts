import { describe, expect, it } from 'vitest';
import type { TestServices } from '../../test/support/testServices.js';
import { useTestServices } from '../../test/support/useTestServices.js';
import { keys, storedModelId } from './keys.js';

let s: TestServices;
useTestServices({}, (x) => (s = x));

let seq = 0;
const next = (prefix: string) => `${prefix}-${(seq += 1)}`;

/** A passkey session as the adapter sees it: saved first with its link (sign-in), then again under a new id. */
async function savePasskeySession(accountId: string, passkeyId: string, uid: string, link: boolean) {
  const sessionId = next('session');
  if (link) s.tapSessions.set(sessionId, { accountId, passkeyId });
  await new s.Adapter('Session').upsert(sessionId, { jti: sessionId, uid, accountId, amr: ['swk', 'user', 'mfa'] }, 600);
  return sessionId;
}

describe('indexing a session under the passkey it was obtained with', () => {
  it('indexes it, and every new id of the same session, while the passkey is the user\'s', async () => {
    const [accountId, passkeyId, uid] = [next('user'), next('cred'), next('uid')];
    await s.redis.hset(keys.passkeys(accountId), passkeyId, '{}');
    const first = await savePasskeySession(accountId, passkeyId, uid, true);
    const second = await savePasskeySession(accountId, passkeyId, uid, false);
    expect(await s.redis.smembers(keys.passkeyIndex(accountId, passkeyId))).toEqual(
      expect.arrayContaining([`Session:${storedModelId('Session', first)}`, `Session:${storedModelId('Session', second)}`]),
    );
  });

  it('ends a session saved just after its passkey was deleted, rather than leave it outside the revoked index', async () => {
    const [accountId, passkeyId, uid] = [next('user'), next('cred'), next('uid')];
    // No such passkey in the user's hash: it was deleted (and its index revoked) between the sign-in and this save.
    const sessionId = await savePasskeySession(accountId, passkeyId, uid, true);
    expect(await s.redis.exists(keys.model('Session', sessionId))).toBe(0);
    expect(await s.redis.exists(keys.passkeyIndex(accountId, passkeyId))).toBe(0);
    expect(await s.redis.exists(keys.sessionPasskey(uid))).toBe(0);
  });
});
