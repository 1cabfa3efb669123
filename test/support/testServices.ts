import type { Adapter } from 'oidc-provider';
import type { RedisAuditLog } from '../../src/audit/RedisAuditLog.js';
import { createServices } from '../../src/createServices.js';
import type { Users } from '../../src/directory/Users.js';
import { createLogger } from '../../src/log/createLogger.js';
import type { PasskeyService } from '../../src/passkeys/PasskeyService.js';
import type { Revoker } from '../../src/revocation/Revoker.js';
import { connectRedis, type Store } from '../../src/store/connectRedis.js';
import { redisAdapterFactory } from '../../src/store/redisAdapterFactory.js';
import type { TapSessionLinks } from '../../src/store/TapSessionLinks.js';
import type { TapLockoutOptions } from '../../src/tap/TapLockoutOptions.js';
import type { TapService } from '../../src/tap/TapService.js';
import { TestClock } from './TestClock.js';
import { testConfig } from './testServer.js';

export interface TestServices {
  redis: Store;
  clock: TestClock;
  /** Every log line the services wrote. */
  logs: string[];
  audit: RedisAuditLog;
  directory: Users;
  revoker: Revoker;
  taps: TapService;
  passkeys: PasskeyService;
  /** oidc-provider's storage for one model name (`new Adapter('Session')`). */
  Adapter: new (name: string) => Adapter;
  /** Sessions the adapter indexes under a TAP (what the provider's session lifetime fills). */
  tapSessions: TapSessionLinks;
  close(): void;
}

/**
 * The services of the product, built by `createServices` as the plugin builds them, without HTTP: for the unit
 * tests beside them.
 */
export function testServices(
  redisUrl: string,
  opts: { clock?: TestClock; lockout?: Partial<TapLockoutOptions>; issuer?: string; tapSecret?: string } = {},
): TestServices {
  const logs: string[] = [];
  const redis = connectRedis(redisUrl);
  const clock = opts.clock ?? new TestClock();
  const services = createServices({
    redis,
    config: testConfig({ options: { ...opts.lockout } }),
    secrets: { tapSecret: opts.tapSecret ?? 'test-tap-secret-0123456789-0123456789', cookieKeys: ['test-cookie-key-0123456789'], jwks: { keys: [] } },
    issuer: opts.issuer ?? 'http://localhost',
    clock,
    logger: createLogger((l) => logs.push(l)),
  });
  const tapSessions: TapSessionLinks = new Map();
  return {
    redis,
    clock,
    logs,
    audit: services.audit,
    directory: services.directory,
    revoker: services.revoker,
    taps: services.taps,
    passkeys: services.passkeys,
    Adapter: redisAdapterFactory(redis, tapSessions),
    tapSessions,
    close: () => redis.disconnect(),
  };
}
