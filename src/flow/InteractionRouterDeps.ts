import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/AuditLog.js';
import type { Users } from '../directory/Users.js';
import type { AuthMethod } from '../methods/AuthMethod.js';
import type { RateLimiter } from '../ratelimit/RateLimiter.js';
import type { Store } from '../store/connectRedis.js';
import type { TapService } from '../tap/TapService.js';
import type { LoginCompleter } from './LoginCompleter.js';
import type { PendingLogins } from './PendingLogins.js';

export interface InteractionRouterDeps {
  /** For the TAP a session was signed in with (`keys.sessionTap`). */
  redis: Store;
  provider: Provider;
  directory: Users;
  taps: TapService;
  /** The methods in the order the flow offers them; the first one available is the step after the identifier. */
  methods: AuthMethod[];
  /** The method shown when no other is available, also to unknown identifiers (no enumeration). */
  fallback: string;
  /** The method shown instead when the client demands a phishing-resistant sign-in. */
  phrFallback: string;
  completer: LoginCompleter;
  pending: PendingLogins;
  /** Where every sign-in attempt is recorded. */
  audit?: AuditLog;
  /** Options `rateLimits.signInPerAddress` and `signInPerAccount`, taken by every posted step. */
  limiter: RateLimiter;
}
