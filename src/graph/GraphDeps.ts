import type Provider from 'oidc-provider';
import type { AuditLog } from '../audit/AuditLog.js';
import type { Clock } from '../Clock.js';
import type { ClientConfig } from '../config/AppConfig.js';
import type { Users } from '../directory/Users.js';
import type { Logger } from '../log/Logger.js';
import type { PasskeyService } from '../passkeys/PasskeyService.js';
import type { RateLimiter } from '../ratelimit/RateLimiter.js';
import type { Revoker } from '../revocation/Revoker.js';
import type { TapService } from '../tap/TapService.js';

/** What the admin API's operations work with. */
export interface GraphDeps {
  provider: Provider;
  issuer: string;
  clients: ClientConfig[];
  directory: Users;
  taps: TapService;
  passkeys: PasskeyService;
  revoker: Revoker;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  /** Options `rateLimits.apiPerAddress` and `apiPerCaller`. */
  limiter: RateLimiter;
  /** Changes at /me need a sign-in at most this old (option `reauthenticationMaxAgeSeconds`). */
  reauthenticationMaxAgeSeconds: number;
  /** Origins whose browser pages may call the API (option `adminApiCorsOrigins`); none by default. */
  corsOrigins: readonly string[];
}
