import { afterAll, beforeAll } from 'vitest';
import { startTestRedis } from './redis.js';
import { testServices, type TestServices } from './testServices.js';

/**
 * For the unit tests beside the services: a redis-server of the file's own and the services on it, started before
 * its tests and stopped after them; `ready` receives the services (as `useDeployment` gives a deployment).
 */
export function useTestServices(opts: Parameters<typeof testServices>[1], ready: (s: TestServices) => void): void {
  let redis: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  let s: TestServices | undefined;
  beforeAll(async () => {
    redis = await startTestRedis();
    s = testServices(redis.url, opts);
    ready(s);
  });
  afterAll(async () => {
    s?.close();
    await redis?.stop();
  });
}
