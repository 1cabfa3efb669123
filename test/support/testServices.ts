import type { Adapter } from 'oidc-provider';
import { defaultOptions } from '../../src/config/parseConfig.js';
import { Directory } from '../../src/directory/Directory.js';
import { createLogger } from '../../src/log/createLogger.js';
import { PasskeyService } from '../../src/passkeys/PasskeyService.js';
import { Revoker } from '../../src/revocation/Revoker.js';
import { connectRedis, type Store } from '../../src/store/connectRedis.js';
import { redisAdapterFactory } from '../../src/store/RedisAdapter.js';
import type { TapSessionLinks } from '../../src/store/TapSessionLinks.js';
import { PasscodeHasher } from '../../src/tap/PasscodeHasher.js';
import type { TapLockoutOptions } from '../../src/tap/TapLockoutOptions.js';
import { TapService } from '../../src/tap/TapService.js';
import { TestClock } from './TestClock.js';

export interface TestServices {
  redis: Store;
  clock: TestClock;
  /** Every log line the services wrote. */
  logs: string[];
  directory: Directory;
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
 * The services of the product, wired as the plugin wires them, without HTTP: for the unit tests beside them.
 * The one place tests build services by hand, so a changed constructor is mended here only.
 */
export function testServices(
  redisUrl: string,
  opts: { clock?: TestClock; lockout?: Partial<TapLockoutOptions>; issuer?: string; tapSecret?: string } = {},
): TestServices {
  const logs: string[] = [];
  const log = createLogger((l) => logs.push(l));
  const redis = connectRedis(redisUrl);
  const clock = opts.clock ?? new TestClock();
  const options = { ...defaultOptions, ...opts.lockout };
  const revoker = new Revoker(redis);
  const issuer = new URL(opts.issuer ?? 'http://localhost');
  const tapSessions: TapSessionLinks = new Map();
  return {
    redis,
    clock,
    logs,
    directory: new Directory(redis),
    revoker,
    taps: new TapService(redis, new PasscodeHasher(opts.tapSecret ?? 'test-tap-secret-0123456789-0123456789'), revoker, options, clock, log),
    passkeys: new PasskeyService(redis, { rpId: issuer.hostname, origin: issuer.origin, rpName: 'oidc-tap' }, clock, log),
    Adapter: redisAdapterFactory(redis, tapSessions),
    tapSessions,
    close: () => redis.disconnect(),
  };
}
