import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Options } from '../config/AppConfig.js';
import type { TapSessionLinks } from '../store/TapSessionLinks.js';

type Ttl = NonNullable<Configuration['ttl']>;

/** Fields our sign-in flow adds to oidc-provider's login result. */
export interface LoginResultExtras {
  /** End of the TAP the sign-in used (ms since the epoch). */
  capAt?: number;
  tapId?: string;
  /** The passkey the sign-in used (credential id): deleting it ends what the sign-in obtained. */
  passkeyId?: string;
}

/**
 * Longest life of a session nobody has signed in to. oidc-provider saves one for any request that reads the
 * session (e.g. `GET /session/end` without a cookie); anonymous traffic must not fill Redis with them for weeks.
 */
export const ANONYMOUS_SESSION_TTL_SECONDS = 3600;

const nowSec = () => Math.floor(Date.now() / 1000);
const atLeastOne = (n: number) => Math.max(1, Math.floor(n));

/** Tokens never outlive their grant; a TAP sign-in's grant ends with the TAP, so its tokens do too. */
function capToGrant(ctx: KoaContextWithOIDC | undefined, seconds: number): number {
  const exp = ctx?.oidc?.entities?.Grant?.exp;
  return atLeastOne(typeof exp === 'number' ? Math.min(seconds, exp - nowSec()) : seconds);
}

/**
 * oidc-provider lifetimes. The rule that matters: the session, the grant and every token of a TAP sign-in
 * expire no later than the TAP.
 */
export function lifetimes(o: Options, tapSessions: TapSessionLinks): Ttl {
  return {
    AccessToken: (ctx, token) => capToGrant(ctx, token.resourceServer?.accessTokenTTL ?? o.accessTokenTtlSeconds),
    AuthorizationCode: (ctx) => capToGrant(ctx, 60),
    ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? o.accessTokenTtlSeconds,
    IdToken: (ctx) => capToGrant(ctx, o.idTokenTtlSeconds),
    RefreshToken: (ctx) => capToGrant(ctx, o.refreshTokenTtlSeconds),
    // TAP sign-ins create their grant with an explicit, capped expiresIn; this is everyone else's.
    Grant: o.grantTtlSeconds,
    Interaction: 3600,
    // A device's codes (device authorization grant): long enough to find a phone and sign in, short enough that
    // a guess has few chances to meet a live code.
    DeviceCode: 600,
    // Counted from the sign-in, not from the last use: oidc-provider saves the session again on every use, and a
    // lifetime counted from then would let a session used often enough sign its user in forever (with the first
    // auth_time). The cookie's expiry follows the stored session's.
    Session: (ctx, session) => {
      // Nobody signed in to it (e.g. a logout without a cookie): anonymous, so it must not linger.
      if (!session.accountId) return atLeastOne(Math.min(o.sessionTtlSeconds, ANONYMOUS_SESSION_TTL_SECONDS));
      let endSec = (session.loginTs ?? nowSec()) + o.sessionTtlSeconds;
      // Each use saves the session again, so counting the idle timeout from now restarts it at every use.
      if (o.sessionIdleTimeoutSeconds > 0) endSec = Math.min(endSec, nowSec() + o.sessionIdleTimeoutSeconds);
      const login = (ctx?.oidc?.result?.login ?? {}) as LoginResultExtras;
      if (session.amr?.includes('tap')) {
        // The first save after a TAP sign-in carries the TAP's end; later saves keep the end already set.
        const tapEndSec = login.capAt !== undefined ? login.capAt / 1000 : session.exp;
        if (login.tapId && session.accountId) {
          tapSessions.set(session.jti, { accountId: session.accountId, tapId: login.tapId });
        }
        endSec = tapEndSec === undefined ? nowSec() + 60 : Math.min(endSec, tapEndSec);
      } else if (login.passkeyId && session.accountId) {
        // A passkey sign-in's session is indexed under the passkey, so that deleting it ends the session.
        tapSessions.set(session.jti, { accountId: session.accountId, passkeyId: login.passkeyId });
      }
      return atLeastOne(endSec - nowSec());
    },
  };
}
