import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { keys, storedModelId } from './keys.js';
import { addToIndexScript } from './addToIndexScript.js';
import type { Store } from './connectRedis.js';
import { consumeModelScript } from './consumeModelScript.js';
import { openDeviceCode, sealDeviceCode } from './sealDeviceCode.js';
import { indexUnderSignIn } from './indexUnderSignIn.js';
import type { SignInLink, TapSessionLinks } from './TapSessionLinks.js';

/** Models whose instances are redeemed once; a second redemption must fail. */
const CONSUMABLE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** Models that hang off a grant and are revoked with it. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/**
 * The payload as stored: without the bearer value a token or session is known by (its `jti`), nor the session
 * cookie an interaction remembers, nor a device's user code, so that a copy of Redis signs nobody in. oidc-provider reads neither back
 * from storage: `find` restores the id it was asked by, and a session found by uid is only checked, never used.
 */
function withoutBearerIds(model: string, id: string, payload: AdapterPayload): AdapterPayload {
  let out = payload;
  if (storedModelId(model, id) !== id) {
    const { jti: _jti, ...rest } = out;
    out = rest;
  }
  // A device's user code lets whoever types it approve that device: it is stored only as its index's digest.
  if (model === 'DeviceCode' && 'userCode' in out) {
    const { userCode: _userCode, ...rest } = out;
    out = rest;
  }
  const session = out.session as { cookie?: string } | undefined;
  if (model === 'Interaction' && session?.cookie) {
    const { cookie: _cookie, ...kept } = session;
    out = { ...out, session: kept } as AdapterPayload;
  }
  return out;
}

/**
 * oidc-provider storage on Redis. Each instance is stored as a hash (`p` = payload JSON, `consumed` set at
 * most once by a script), so consumption is atomic even between two servers.
 */
export function redisAdapterFactory(redis: Store, tapSessions: TapSessionLinks): new (name: string) => Adapter {
  /**
   * Keep a TAP or passkey sign-in's session in that TAP's or passkey's index. oidc-provider gives a session a new
   * id whenever an interaction ends (e.g. a later consent by single sign-on), so the link is remembered by the
   * session's stable uid and every new id of a session that still rests on that sign-in joins the index too.
   */
  async function indexSignInSession(id: string, payload: AdapterPayload, expiresAtMs: number): Promise<void> {
    const pending = tapSessions.get(id);
    if (pending) tapSessions.delete(id);
    if (!payload.uid) return;
    const amr = Array.isArray(payload.amr) ? (payload.amr as string[]) : [];
    // Which link a re-save keeps follows how the session signed in last (a TAP, or a passkey: hwk/swk).
    const linkKey = amr.includes('tap') ? keys.sessionTap(payload.uid) : amr.includes('hwk') || amr.includes('swk') ? keys.sessionPasskey(payload.uid) : undefined;
    let link: SignInLink | undefined = pending;
    if (!link && linkKey) {
      const stored = await redis.get(linkKey);
      const kept = stored ? (JSON.parse(stored) as SignInLink) : undefined;
      if (kept?.accountId === payload.accountId) link = kept;
    }
    if (!link) return;
    const linkAt = 'tapId' in link ? keys.sessionTap(payload.uid) : keys.sessionPasskey(payload.uid);
    // Indexed only while the TAP or passkey is still the user's (one atomic step against its replacement or
    // deletion); otherwise its index has been revoked already, so this session, saved just now, is ended here.
    const indexed = await indexUnderSignIn(redis, link, `Session:${storedModelId('Session', id)}`, expiresAtMs);
    if (!indexed) {
      await Promise.all([redis.del(keys.model('Session', id)), redis.del(keys.sessionUid(payload.uid)), redis.del(linkAt)]);
      return;
    }
    await redis.set(linkAt, JSON.stringify(link), 'PXAT', expiresAtMs);
  }

  return class RedisAdapter implements Adapter {
    readonly name: string;

    constructor(name: string) {
      this.name = name;
    }

    key(id: string): string {
      return keys.model(this.name, id);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const expiresAtMs = Date.now() + expiresIn * 1000;
      const ops: Promise<unknown>[] = [
        // The same absolute end as the indexes below, so no index can end a millisecond before its member.
        redis.multi().del(key).hset(key, 'p', JSON.stringify(withoutBearerIds(this.name, id, payload))).pexpireat(key, expiresAtMs).exec(),
      ];
      if (GRANTABLE.has(this.name) && payload.grantId) {
        ops.push(addToIndexScript.run(redis, { keys: { set: keys.grantMembers(payload.grantId) }, args: { member: key, expiresAtMs } }));
      }
      const stored = storedModelId(this.name, id);
      if (this.name === 'Session') {
        if (payload.uid) ops.push(redis.set(keys.sessionUid(payload.uid), stored, 'PXAT', expiresAtMs));
        if (payload.accountId) {
          ops.push(addToIndexScript.run(redis, { keys: { set: keys.accountIndex(payload.accountId) }, args: { member: `Session:${stored}`, expiresAtMs } }));
        }
        ops.push(indexSignInSession(id, payload, expiresAtMs));
      }
      if (this.name === 'Grant' && payload.accountId) {
        ops.push(addToIndexScript.run(redis, { keys: { set: keys.accountIndex(payload.accountId) }, args: { member: `Grant:${id}`, expiresAtMs } }));
      }
      // The device code is a bearer secret: the user code's entry holds it sealed under the user code, which is
      // what the verification page knows (oidc-provider saves the instance it finds there again, by its id).
      if (typeof payload.userCode === 'string') {
        ops.push(redis.set(keys.userCode(payload.userCode), sealDeviceCode(id, payload.userCode), 'PXAT', expiresAtMs));
      }
      await Promise.all(ops);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const payload = await this.read(this.key(id));
      // The id was left out of the stored copy (it is the secret); whoever asks by it knows it.
      if (payload && storedModelId(this.name, id) !== id) payload.jti = id;
      return payload;
    }

    private async read(key: string): Promise<AdapterPayload | undefined> {
      const stored = await redis.hgetall(key);
      if (!stored.p) return undefined;
      const payload = JSON.parse(stored.p) as AdapterPayload;
      if (stored.consumed) payload.consumed = Number(stored.consumed);
      return payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const stored = await redis.get(keys.sessionUid(uid));
      return stored ? this.read(keys.storedModel(this.name, stored)) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const sealed = await redis.get(keys.userCode(userCode));
      const id = sealed ? openDeviceCode(sealed, userCode) : undefined;
      const payload = id ? await this.find(id) : undefined;
      // Not stored with the instance (withoutBearerIds); oidc-provider checks it against the code it was asked by.
      if (payload) payload.userCode = userCode;
      return payload;
    }

    async consume(id: string): Promise<void> {
      const first = await consumeModelScript.run(redis, { keys: { model: this.key(id) }, args: { at: Math.floor(Date.now() / 1000) } });
      // oidc-provider reads `consumed` before calling us; two servers can both read "not consumed". Only
      // the script's answer is authoritative, so the loser of the race gets invalid_grant.
      if (!first && CONSUMABLE.has(this.name)) {
        throw new errors.InvalidGrant('grant request is invalid');
      }
    }

    async destroy(id: string): Promise<void> {
      const key = this.key(id);
      if (this.name === 'Session') {
        const found = await this.find(id);
        if (found?.uid) await redis.del(keys.sessionUid(found.uid));
      }
      await redis.del(key);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const setKey = keys.grantMembers(grantId);
      const members = await redis.smembers(setKey);
      // One DEL per key: a grant's tokens live in different cluster slots.
      await Promise.all([...members.map((k) => redis.del(k)), redis.del(setKey)]);
    }
  };
}
