import { ConfigError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import type { RedisClient } from './RedisClient.js';
import { isRedisUnavailable } from './isRedisUnavailable.js';

const NAMES = ['maxmemory-policy', 'appendonly', 'appendfsync', 'save'];

/**
 * Refuse to run on a Redis that would silently lose data, and warn about one that could. Everything the product
 * keeps lives only in Redis, and most keys carry a TTL: any policy but `noeviction` (the `volatile-*` ones too)
 * may drop a TAP, a passkey's challenge or a session under memory pressure, so start-up stops with one line. Without
 * persistence a Redis restart loses every TAP, passkey, user and session: a loud warning, not a refusal, because
 * the data may be replicated elsewhere. A managed Redis that does not allow CONFIG gets a warning and is trusted.
 */
export async function checkRedisSettings(redis: RedisClient, log: Logger): Promise<void> {
  let settings: Map<string, string>;
  try {
    // One name per call: Redis before 7 takes one pattern, and `*` would also read passwords.
    const replies = await Promise.all(NAMES.map((name) => redis.config('GET', name) as Promise<string[]>));
    settings = new Map();
    for (const reply of replies) for (let i = 0; i + 1 < reply.length; i += 2) settings.set(reply[i]!, reply[i + 1]!);
  } catch (err) {
    if (isRedisUnavailable(err)) throw err;
    log.warn('redis.settings.unchecked', {
      why: (err as Error).message,
      need: 'maxmemory-policy noeviction; appendonly yes with appendfsync everysec or always',
    });
    return;
  }
  const policy = settings.get('maxmemory-policy');
  if (policy === undefined) {
    log.warn('redis.settings.unchecked', { why: 'CONFIG GET does not show maxmemory-policy', need: 'maxmemory-policy noeviction' });
  } else if (policy !== 'noeviction') {
    throw new ConfigError(
      'REDIS_URL',
      `Redis evicts keys under memory pressure (maxmemory-policy ${policy}), which silently loses TAPs, passkeys and sessions; set maxmemory-policy noeviction`,
    );
  }
  const aof = settings.get('appendonly');
  const save = settings.get('save');
  if (aof === 'no' && !save) {
    log.error('redis.noPersistence', { problem: 'appendonly no and no snapshots: a Redis restart loses every TAP, passkey, user and session', fix: 'appendonly yes' });
  } else if (aof === 'no') {
    log.warn('redis.snapshotsOnly', { problem: 'a Redis crash loses what was written since the last snapshot', fix: 'appendonly yes', save });
  } else if (aof === 'yes' && settings.get('appendfsync') === 'no') {
    log.warn('redis.appendfsyncNo', { problem: 'the OS decides when the AOF reaches the disk; a machine crash may lose up to ~30 s', fix: 'appendfsync everysec' });
  }
}
