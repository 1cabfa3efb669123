import type { RedisClient } from './RedisClient.js';

/**
 * Wait until `redis` is connected and ready (a Redis started alongside may take a moment), or fail after
 * `timeoutMs` with one line that says where and why, without the URL's password.
 */
export async function waitForRedis(redis: RedisClient, url: string, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  let lastError = '';
  const onError = (err: Error) => {
    lastError = err.message;
  };
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error(`Redis at ${where(url)} is not reachable${lastError ? ` (${lastError})` : ''}; is it running, and is REDIS_URL right?`));
      }, timeoutMs);
      function onReady() {
        clearTimeout(timer);
        resolve();
      }
      redis.once('ready', onReady);
    });
  } finally {
    redis.off('error', onError);
  }
}

/** Where a Redis URL points (scheme and hosts), never its credentials. */
function where(url: string): string {
  return url.trim().replace(/\/\/[^@/]*@/, '//').replace(/[?#].*$/, '');
}
