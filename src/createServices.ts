import { RedisAuditLog } from './audit/RedisAuditLog.js';
import { systemClock, type Clock } from './Clock.js';
import type { AppConfig } from './config/AppConfig.js';
import { createDirectory } from './directory/createDirectory.js';
import type { UserDirectory } from './directory/UserDirectory.js';
import { Users } from './directory/Users.js';
import { BackchannelLogout } from './events/BackchannelLogout.js';
import { TapExpirySweep } from './events/TapExpirySweep.js';
import { SecurityEvents } from './events/SecurityEvents.js';
import { createLogger } from './log/createLogger.js';
import type { Logger } from './log/Logger.js';
import { FederationService } from './methods/federation/FederationService.js';
import { PasskeyService } from './passkeys/PasskeyService.js';
import { RateLimiter } from './ratelimit/RateLimiter.js';
import { Revoker } from './revocation/Revoker.js';
import type { Secrets } from './secrets/Secrets.js';
import type { Store } from './store/connectRedis.js';
import { PasscodeHasher } from './tap/PasscodeHasher.js';
import { TapService } from './tap/TapService.js';

export interface ServicesOptions {
  redis: Store;
  /** The validated config file. */
  config: AppConfig;
  secrets: Secrets;
  /** The public issuer URL: the WebAuthn origin and RP ID, the security events' issuer, the federation callback. */
  issuer: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: JSON lines on stdout. */
  logger?: Logger;
  /** A host's own users; default the config's `directory` (LDAP) when present, else oidc-tap's Redis directory. */
  directory?: UserDirectory;
}

/** The services of one deployment, wired one way for the plugin, the CLI, the benchmarks and the tests. */
export interface Services {
  clock: Clock;
  logger: Logger;
  /** Every write and sign-in outcome; the services that write record into it themselves. */
  audit: RedisAuditLog;
  /**
   * The security-event webhook (config `securityEvents`), subscribed to the audit log, when configured. Its
   * delivery loop is not started here: a server starts it (`start()`), a CLI run only queues.
   */
  securityEvents?: SecurityEvents;
  /**
   * Logout tokens for the sessions the revoker ends, when a client registers a `backchannel_logout_uri`; its loop
   * is started by a server, as the security events'.
   */
  backchannelLogout?: BackchannelLogout;
  /** Ends what a TAP signed in when the TAP runs out; a server starts its loop, a CLI run does not. */
  tapExpiry: TapExpirySweep;
  /** The directory in use (the option's, or the Redis one), read through `toUser`. */
  directory: Users;
  revoker: Revoker;
  taps: TapService;
  passkeys: PasskeyService;
  limiter: RateLimiter;
  federation: FederationService;
}

export function createServices(options: ServicesOptions): Services {
  const { redis, config, secrets, issuer } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const audit = new RedisAuditLog(redis, {
    retentionDays: config.options.auditRetentionDays,
    unknownAccountsKept: config.options.unknownAccountSignInsKept,
    clock,
    log: logger,
  });
  // The security events are the audit records of a few activities, so every write that is audited emits them.
  const securityEvents = config.securityEvents
    ? new SecurityEvents(redis, { config: config.securityEvents, issuer, jwks: secrets.jwks, clock, log: logger })
    : undefined;
  if (securityEvents) audit.subscribe(securityEvents);
  const revoker = new Revoker(redis, audit);
  const backchannelLogout = config.clients.some((c) => c.backchannel_logout_uri)
    ? new BackchannelLogout(redis, { issuer, jwks: secrets.jwks, clients: config.clients, audit, clock, log: logger })
    : undefined;
  if (backchannelLogout) revoker.onSessionEnded((s) => backchannelLogout.sessionEnded(s));
  const url = new URL(issuer);
  const directory = new Users(createDirectory(redis, audit, config.directory, logger, options.directory));
  return {
    clock,
    logger,
    audit,
    ...(securityEvents ? { securityEvents } : {}),
    ...(backchannelLogout ? { backchannelLogout } : {}),
    directory,
    revoker,
    tapExpiry: new TapExpirySweep(redis, { revoker, directory, audit, clock, log: logger }),
    taps: new TapService(redis, new PasscodeHasher(secrets.tapSecret), revoker, config.options, clock, logger, audit),
    passkeys: new PasskeyService(redis, { rpId: url.hostname, origin: url.origin, rpName: config.branding?.name ?? 'oidc-tap' }, clock, logger, audit, revoker),
    limiter: new RateLimiter(redis, config.options.rateLimits, clock, logger),
    federation: new FederationService(
      redis,
      config.federation.domains,
      { redirectUri: `${issuer.replace(/\/+$/, '')}/federation/callback`, clockToleranceSeconds: config.options.federationClockToleranceSeconds },
      clock,
      logger,
    ),
  };
}
