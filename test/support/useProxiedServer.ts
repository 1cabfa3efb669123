import { afterAll, beforeAll } from 'vitest';
import type { Deployment } from './deployment.js';
import { startProxiedServer } from './testServer.js';

/**
 * For the tests of a `describe`: a server of the deployment for an https `issuer`, behind where a TLS-terminating
 * proxy would sit (startProxiedServer); `ready` receives the loopback URL tests reach it at.
 */
export function useProxiedServer(deployment: () => Deployment, issuer: string, ready: (url: string) => void): void {
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const d = deployment();
    const started = await startProxiedServer(d.redis.url, issuer, d.clock);
    close = started.close;
    ready(started.url);
  });
  afterAll(() => close?.());
}
