import { createHash, randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Clock } from '../Clock.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { AccountLogin } from './AccountLogin.js';
import type { AccountSession } from './AccountSession.js';
import type { RedeemedSignIn } from './redeemAccountCode.js';
import type { SignInPage } from './SignInPage.js';

/** Longest a security-info session lives, however long the provider session behind it. */
const MAX_SESSION_MS = 3600_000;
/** Time to finish signing in once the page has sent the user to the provider. */
const LOGIN_TTL_SECONDS = 600;

const random = () => randomBytes(32).toString('base64url');

/** Sessions of one of the product's signed-in pages (security info by default), and its sign-ins in progress, in Redis. */
export class AccountSessions {
  constructor(
    private readonly redis: Store,
    private readonly provider: Provider,
    private readonly clock: Clock,
    /** Adding, renaming or deleting a method needs a sign-in at most this old. */
    private readonly reauthMaxAgeMs: number,
    /** Which page's sessions these are: a session of one page is never one of another's. */
    private readonly page: SignInPage['client'] = 'account',
  ) {}

  /** Remember a sign-in about to start; its state and PKCE challenge go into the authorization request. */
  async beginLogin(reason: AccountLogin['reason'], returnTo?: string): Promise<{ state: string; codeChallenge: string }> {
    const state = random();
    const login: AccountLogin = { verifier: random(), reason, ...(returnTo ? { returnTo } : {}) };
    await this.redis.set(keys.accountLogin(state), JSON.stringify(login), 'EX', LOGIN_TTL_SECONDS);
    return { state, codeChallenge: createHash('sha256').update(login.verifier).digest('base64url') };
  }

  /** The sign-in of `state`, once: a replayed callback finds nothing. */
  async takeLogin(state: string): Promise<AccountLogin | undefined> {
    if (!state || state.length > 128) return undefined;
    const raw = await this.redis.getdel(keys.accountLogin(state));
    return raw ? (JSON.parse(raw) as AccountLogin) : undefined;
  }

  async create(signIn: RedeemedSignIn): Promise<AccountSession> {
    const realNow = Date.now();
    // The provider stamps auth_time by the real clock; the page judges freshness by the product's clock
    // (which tests move). Carry over the sign-in's age, not its timestamp, so both agree.
    const ageMs = Math.max(0, realNow - signIn.authTime * 1000);
    const session: AccountSession = {
      id: random(),
      page: this.page,
      accountId: signIn.accountId,
      authAt: this.clock.now() - ageMs,
      amr: signIn.amr,
      sessionUid: signIn.sessionUid,
      grantId: signIn.grantId,
      csrf: random(),
      expiresAt: Math.min(realNow + MAX_SESSION_MS, signIn.endsAt),
    };
    const ttl = Math.max(1, session.expiresAt - realNow);
    await this.redis.set(keys.accountSession(session.id), JSON.stringify(session), 'PX', ttl);
    return session;
  }

  /**
   * The session of `id`, only while the provider session it rests on still exists for the same account: revoking
   * that (a deleted TAP, "revoke sign-in sessions", signing out) ends this at once.
   */
  async find(id: string | undefined): Promise<AccountSession | undefined> {
    if (!id || id.length > 128) return undefined;
    const raw = await this.redis.get(keys.accountSession(id));
    if (!raw) return undefined;
    const session = JSON.parse(raw) as AccountSession;
    if ((session.page ?? 'account') !== this.page) return undefined;
    const [live, grant] = await Promise.all([this.provider.Session.findByUid(session.sessionUid), this.provider.Grant.find(session.grantId)]);
    if (!live || live.accountId !== session.accountId || !grant) {
      await this.end(id);
      return undefined;
    }
    return session;
  }

  async end(id: string): Promise<void> {
    await this.redis.del(keys.accountSession(id));
  }

  /** Recent enough a sign-in to add, rename or delete a method. */
  isFresh(session: AccountSession): boolean {
    return this.clock.now() - session.authAt <= this.reauthMaxAgeMs;
  }
}
