import type { RedisClient } from './RedisClient.js';

/** What a wrapper of a connection (requestScopedClient) answers with the connection it wraps. */
export const RAW_CLIENT = Symbol('oidc-tap.rawClient');

/**
 * The connection under any wrappers: settings kept per connection (replicated.require) hold for every wrapper of
 * it, whichever one the caller was given.
 */
export function rawClient(redis: RedisClient): RedisClient {
  return ((redis as unknown as Record<symbol, RedisClient | undefined>)[RAW_CLIENT]) ?? redis;
}
