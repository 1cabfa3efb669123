import type { Middleware } from 'koa';
import type { Configuration } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { systemClock, type Clock } from './Clock.js';
import type { AppConfig } from './config/AppConfig.js';
import { Directory } from './directory/Directory.js';
import { interactionRouter } from './flow/interactionRouter.js';
import { createLogger } from './log/createLogger.js';
import type { Logger } from './log/Logger.js';
import type { AuthMethod } from './methods/AuthMethod.js';
import { PasswordMethod } from './methods/password/PasswordMethod.js';
import { TapMethod } from './methods/tap/TapMethod.js';
import { providerConfiguration } from './provider/providerConfiguration.js';
import { Revoker } from './revocation/Revoker.js';
import type { Secrets } from './secrets/Secrets.js';
import type { Store } from './store/connectRedis.js';
import { PasscodeHasher } from './tap/PasscodeHasher.js';
import { TapService } from './tap/TapService.js';

export interface TapPluginOptions {
  /** Redis connection (see connectRedis). */
  redis: Store;
  /** The validated config file. */
  config: AppConfig;
  secrets: Secrets;
  /** Source of "now"; default the system clock. */
  clock?: Clock;
  /** Default: JSON lines on stdout. */
  logger?: Logger;
}

/** Temporary Access Pass sign-in for an oidc-provider + Koa application. */
export interface TapPlugin {
  /** Merge into (or use as) the oidc-provider configuration. */
  configuration: Configuration;
  /** The sign-in pages; mount before the provider's own routes. */
  routes(provider: Provider): Middleware;
  directory: Directory;
  taps: TapService;
  revoker: Revoker;
  logger: Logger;
  /** Import the config file's users and policy into Redis (update, never wipe). */
  importConfig(): Promise<void>;
}

export function tapPlugin(options: TapPluginOptions): TapPlugin {
  const { redis, config, secrets } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const directory = new Directory(redis);
  const revoker = new Revoker(redis);
  const taps = new TapService(redis, new PasscodeHasher(secrets.tapSecret), revoker, config.options, clock, logger);
  // The flow's order: a TAP, when the user has one, comes before the password (and before federation).
  const methods: AuthMethod[] = [new TapMethod(taps), new PasswordMethod()];

  return {
    configuration: providerConfiguration({
      redis,
      directory,
      clients: config.clients,
      options: config.options,
      jwks: secrets.jwks,
      cookieKeys: secrets.cookieKeys,
    }),
    routes(provider) {
      return interactionRouter({ provider, directory, taps, methods, fallback: 'password', redis, clock, log: logger }).routes() as unknown as Middleware;
    },
    directory,
    taps,
    revoker,
    logger,
    async importConfig() {
      for (const seed of config.users) await directory.importSeed(seed);
      if (Object.keys(config.tapPolicy).length) await taps.updatePolicy(config.tapPolicy as Record<string, unknown>);
    },
  };
}
