import { afterAll, beforeAll } from 'vitest';
import { connectRedis, type Store } from '../../src/store/connectRedis.js';
import { startTestRedis } from './redis.js';

/** A redis-server of the file's own and a client on it (as the server connects), from `beforeAll` to `afterAll`. */
export function useRedisClient(ready: (client: Store) => void): void {
  let redis: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  let client: Store | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    client = connectRedis(redis.url);
    ready(client);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });
}
