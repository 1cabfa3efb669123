import type { AppConfig } from '../config/AppConfig.js';
import { ConfigError } from '../errors.js';
import type { Users } from '../directory/Users.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { TapService } from '../tap/TapService.js';

export interface SeedOptions {
  /**
   * false (each start): seed only what the file never seeded and Redis does not have; true (`oidc-tap config
   * import`, an administrator's deliberate act): make every user and the policy of the file what the file says.
   */
  overwrite: boolean;
}

/**
 * The config file's users and TAP policy into Redis. At a start (`overwrite: false`) a user or the policy is
 * written only when it was never seeded and does not exist, and is then remembered as seeded
 * (`keys.configSeeded`): a user edited or deleted through the API, or a policy changed or reset there, stays as
 * the administrator left it whenever any instance restarts, scales up or is deployed. Changing them from the file
 * is `oidc-tap config import`.
 */
export async function seedConfig(
  { redis, directory, taps, log }: { redis: Store; directory: Users; taps: TapService; log: Logger },
  config: AppConfig,
  { overwrite }: SeedOptions,
): Promise<void> {
  if (config.users.length > 0 && !directory.canImport) {
    throw new ConfigError('users', "the config file's users can be imported only into the built-in Redis directory, not into the host's directory: remove them");
  }
  const seeded = keys.configSeeded();
  let skipped = 0;
  for (const seed of config.users) {
    const field = `user:${seed.userPrincipalName.toLowerCase()}`;
    if (!overwrite && ((await redis.hexists(seeded, field)) || (await directory.findByUpn(seed.userPrincipalName)))) {
      skipped++;
      if (!(await redis.hexists(seeded, field))) await redis.hset(seeded, field, new Date().toISOString());
      continue;
    }
    await directory.importSeed(seed);
    await redis.hset(seeded, field, new Date().toISOString());
  }
  if (Object.keys(config.tapPolicy).length) {
    if (overwrite || !(await redis.hexists(seeded, 'policy'))) {
      await taps.importPolicy(config.tapPolicy as Record<string, unknown>, { overwrite });
      await redis.hset(seeded, 'policy', new Date().toISOString());
    } else {
      skipped++;
    }
  }
  if (skipped > 0) log.info('config.seed.kept', { entries: skipped, note: 'already seeded: Redis keeps what the API changed; `oidc-tap config import` applies the file' });
}
