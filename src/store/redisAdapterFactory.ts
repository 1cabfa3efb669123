import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { keys, storedModelId } from './keys.js';
import { addToIndexScript } from './addToIndexScript.js';
import type { Store } from './connectRedis.js';
import { consumeModelScript } from './consumeModelScript.js';
import { saveModelScript } from './saveModelScript.js';
import { openDeviceCode, sealDeviceCode } from './sealDeviceCode.js';
import { indexUnderSignIn } from './indexUnderSignIn.js';
import type { SignInLink, TapSessionLinks } from './TapSessionLinks.js';
import { RequestScope } from './RequestScope.js';

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

/** What the adapter may fetch ahead, within a request, once it has read a model that names them. */
export interface AdapterPrefetch {
  /** Start reading an account the request is about to load (`findAccount`), so that it rides the next round trip. */
  account?: (accountId: string) => void;
}

/** The grant and account a stored model leads oidc-provider to load next, when it always does. */
function leadsTo(model: string, payload: AdapterPayload): { grantId?: string; accountId?: string } {
  // A code or refresh token is redeemed against its grant and account; an interaction with a result is resumed.
  if (model === 'AuthorizationCode' || model === 'RefreshToken' || model === 'DeviceCode') {
    return { grantId: payload.grantId as string | undefined, accountId: payload.accountId as string | undefined };
  }
  if (model === 'Interaction' && payload.result) {
    const result = payload.result as { login?: { accountId?: string }; consent?: { grantId?: string } };
    return { grantId: result.consent?.grantId ?? (payload.grantId as string | undefined), accountId: result.login?.accountId };
  }
  return {};
}

/**
 * oidc-provider storage on Redis. Each instance is stored as a hash (`p` = payload JSON, `consumed` set at
 * most once by a script), so consumption is atomic even between two servers.
 *
 * Within a request (RequestScope), a model is read from Redis once and then served from the scope, saves and
 * deletions are sent together before the response, and the grant and account a code, refresh token or finished
 * interaction leads to are fetched in the round trip after it. Outside one (background work, a host that mounts
 * no guards), every call goes to Redis at once.
 */
export function redisAdapterFactory(redis: Store, tapSessions: TapSessionLinks, prefetch: AdapterPrefetch = {}): new (name: string) => Adapter {
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
    // The link is written beside the index attempt (one round trip, not two) and taken back if it failed.
    const [indexed] = await Promise.all([
      indexUnderSignIn(redis, link, `Session:${storedModelId('Session', id)}`, expiresAtMs),
      redis.set(linkAt, JSON.stringify(link), 'PXAT', expiresAtMs),
    ]);
    if (!indexed) await Promise.all([redis.del(keys.model('Session', id)), redis.del(keys.sessionUid(payload.uid)), redis.del(linkAt)]);
  }

  /** The stored hash of `key`, from the request's scope when it has it. */
  function readHash(key: string): Promise<Record<string, string> | undefined> {
    const scope = RequestScope.current();
    const cached = scope?.models.get(key);
    if (cached) return cached;
    const read = redis.hgetall(key).then((h) => (h.p ? h : undefined));
    if (!scope) return read;
    // The one promise every reader awaits (a failed read is asked again by the next one, not kept).
    const kept = read.catch((err: unknown) => {
      scope.models.delete(key);
      throw err;
    });
    scope.models.set(key, kept);
    return kept;
  }

  /** Fetch, within a request, what `payload` of `model` leads to, unless the request has it already. */
  function fetchAhead(model: string, payload: AdapterPayload): void {
    const scope = RequestScope.current();
    if (!scope) return;
    const { grantId, accountId } = leadsTo(model, payload);
    if (grantId && !scope.models.has(keys.model('Grant', grantId))) readHash(keys.model('Grant', grantId)).catch(() => undefined);
    if (accountId && prefetch.account) prefetch.account(accountId);
  }

  /** Store one model instance (its hash, its expiry, the indexes it belongs to). */
  async function write(name: string, id: string, json: string, payload: AdapterPayload, expiresAtMs: number): Promise<void> {
    const key = keys.model(name, id);
    const ops: Promise<unknown>[] = [
      // The same absolute end as the indexes below, so no index can end a millisecond before its member.
      saveModelScript.run(redis, { keys: { model: key }, args: { payload: json, expiresAtMs } }),
    ];
    if (GRANTABLE.has(name) && payload.grantId) {
      ops.push(addToIndexScript.run(redis, { keys: { set: keys.grantMembers(payload.grantId) }, args: { member: key, expiresAtMs } }));
    }
    const stored = storedModelId(name, id);
    if (name === 'Session') {
      if (payload.uid) ops.push(redis.set(keys.sessionUid(payload.uid), stored, 'PXAT', expiresAtMs));
      if (payload.accountId) {
        ops.push(addToIndexScript.run(redis, { keys: { set: keys.accountIndex(payload.accountId) }, args: { member: `Session:${stored}`, expiresAtMs } }));
      }
      ops.push(indexSignInSession(id, payload, expiresAtMs));
    }
    if (name === 'Grant' && payload.accountId) {
      ops.push(addToIndexScript.run(redis, { keys: { set: keys.accountIndex(payload.accountId) }, args: { member: `Grant:${id}`, expiresAtMs } }));
    }
    // The device code is a bearer secret: the user code's entry holds it sealed under the user code, which is
    // what the verification page knows (oidc-provider saves the instance it finds there again, by its id).
    if (typeof payload.userCode === 'string') {
      ops.push(redis.set(keys.userCode(payload.userCode), sealDeviceCode(id, payload.userCode), 'PXAT', expiresAtMs));
    }
    await Promise.all(ops);
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
      const expiresAtMs = Date.now() + expiresIn * 1000;
      // Serialised now: oidc-provider may change the instance after saving it, and the save is of this moment.
      const json = JSON.stringify(withoutBearerIds(this.name, id, payload));
      const scope = RequestScope.current();
      if (!scope) return write(this.name, id, json, payload, expiresAtMs);
      const key = this.key(id);
      scope.models.set(key, Promise.resolve({ p: json }));
      scope.defer(key, () => write(this.name, id, json, payload, expiresAtMs));
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const payload = await this.read(this.key(id));
      // The id was left out of the stored copy (it is the secret); whoever asks by it knows it.
      if (payload && storedModelId(this.name, id) !== id) payload.jti = id;
      return payload;
    }

    private async read(key: string): Promise<AdapterPayload | undefined> {
      const stored = await readHash(key);
      if (!stored) return undefined;
      const payload = JSON.parse(stored.p!) as AdapterPayload;
      if (stored.consumed) payload.consumed = Number(stored.consumed);
      fetchAhead(this.name, payload);
      return payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      // The uid's entry is written with its session: a session saved earlier in this request must be there.
      await RequestScope.current()?.flush();
      const stored = await redis.get(keys.sessionUid(uid));
      return stored ? this.read(keys.storedModel(this.name, stored)) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      await RequestScope.current()?.flush();
      const sealed = await redis.get(keys.userCode(userCode));
      const id = sealed ? openDeviceCode(sealed, userCode) : undefined;
      const payload = id ? await this.find(id) : undefined;
      // Not stored with the instance (withoutBearerIds); oidc-provider checks it against the code it was asked by.
      if (payload) payload.userCode = userCode;
      return payload;
    }

    async consume(id: string): Promise<void> {
      const scope = RequestScope.current();
      await scope?.flush();
      const first = await consumeModelScript.run(redis, { keys: { model: this.key(id) }, args: { at: Math.floor(Date.now() / 1000) } });
      // oidc-provider reads `consumed` before calling us; two servers can both read "not consumed". Only
      // the script's answer is authoritative, so the loser of the race gets invalid_grant.
      if (!first && CONSUMABLE.has(this.name)) {
        throw new errors.InvalidGrant('grant request is invalid');
      }
      // Read again if asked again: it is consumed now.
      scope?.models.delete(this.key(id));
    }

    async destroy(id: string): Promise<void> {
      const key = this.key(id);
      const uid = this.name === 'Session' ? ((await this.find(id))?.uid as string | undefined) : undefined;
      const remove = () => Promise.all([redis.del(key), ...(uid ? [redis.del(keys.sessionUid(uid))] : [])]);
      const scope = RequestScope.current();
      if (!scope) {
        await remove();
        return;
      }
      scope.models.set(key, Promise.resolve(undefined));
      scope.defer(key, remove);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // The grant's index must hold every token saved so far, this request's too.
      const scope = RequestScope.current();
      await scope?.flush();
      const setKey = keys.grantMembers(grantId);
      const members = await redis.smembers(setKey);
      // One DEL per key: a grant's tokens live in different cluster slots.
      await Promise.all([...members.map((k) => redis.del(k)), redis.del(setKey)]);
      for (const k of members) scope?.models.set(k, Promise.resolve(undefined));
    }
  };
}
