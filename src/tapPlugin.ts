import compose from 'koa-compose';
import type { Middleware } from 'koa';
import type { Configuration } from 'oidc-provider';
import { accountRouter } from './account/accountRouter.js';
import type Provider from 'oidc-provider';
import { systemClock, type Clock } from './Clock.js';
import type { AppConfig } from './config/AppConfig.js';
import { Directory } from './directory/Directory.js';
import { interactionRouter } from './flow/interactionRouter.js';
import { LoginCompleter } from './flow/LoginCompleter.js';
import { PendingLogins } from './flow/PendingLogins.js';
import { registrationRouter } from './flow/registrationRouter.js';
import { createLogger } from './log/createLogger.js';
import type { Logger } from './log/Logger.js';
import type { AuthMethod } from './methods/AuthMethod.js';
import { PasskeyMethod } from './methods/passkey/PasskeyMethod.js';
import { PasswordMethod } from './methods/password/PasswordMethod.js';
import { PasskeyService } from './passkeys/PasskeyService.js';
import { TapMethod } from './methods/tap/TapMethod.js';
import { providerConfiguration } from './provider/providerConfiguration.js';
import { Revoker } from './revocation/Revoker.js';
import type { Secrets } from './secrets/Secrets.js';
import type { Store } from './store/connectRedis.js';
import { PasscodeHasher } from './tap/PasscodeHasher.js';
import { TapService } from './tap/TapService.js';

export interface TapPluginOptions {
  /** The public issuer URL: its origin is the WebAuthn origin and its host the RP ID. */
  issuer: string;
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
  passkeys: PasskeyService;
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
  const issuer = new URL(options.issuer);
  const passkeys = new PasskeyService(redis, { rpId: issuer.hostname, origin: issuer.origin, rpName: 'oidc-tap' }, clock, logger);
  const pending = new PendingLogins(redis, clock);
  // The flow's order: a TAP, when the user has one, comes first (an admin issued it for a reason: onboarding or
  // recovery), then the user's passkeys, then the password (and federation).
  const methods: AuthMethod[] = [new TapMethod(taps), new PasskeyMethod(passkeys, directory), new PasswordMethod()];

  return {
    configuration: providerConfiguration({
      issuer: options.issuer,
      redis,
      directory,
      clients: config.clients,
      options: config.options,
      jwks: secrets.jwks,
      cookieKeys: secrets.cookieKeys,
    }),
    routes(provider) {
      const completer = new LoginCompleter(provider, redis, clock, logger);
      const flow = interactionRouter({ provider, directory, taps, methods, fallback: 'password', phrFallback: 'passkey', completer, pending });
      const registration = registrationRouter({
        provider,
        directory,
        taps,
        passkeys,
        pending,
        completer,
        deleteTapAfterPasskey: config.options.deleteTapAfterPasskey,
        log: logger,
      });
      const account = accountRouter({
        provider,
        issuer: options.issuer,
        redis,
        clock,
        directory,
        taps,
        passkeys,
        reauthenticationMaxAgeSeconds: config.options.reauthenticationMaxAgeSeconds,
        log: logger,
      });
      return compose([flow.routes(), registration.routes(), account.routes()] as unknown as Middleware[]);
    },
    directory,
    taps,
    passkeys,
    revoker,
    logger,
    async importConfig() {
      for (const seed of config.users) await directory.importSeed(seed);
      if (Object.keys(config.tapPolicy).length) await taps.updatePolicy(config.tapPolicy as Record<string, unknown>);
    },
  };
}
