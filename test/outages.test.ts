import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRestartableRedis, type RestartableRedis } from './support/redis.js';
import { relyingParty, startAuthorization } from './support/rp.js';
import { startTestServer, type TestServer } from './support/testServer.js';

let redis: RestartableRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startRestartableRedis();
  server = await startTestServer(redis.url);
});

afterAll(async () => {
  await server?.close();
  await redis?.destroy();
});

describe('a sign-in while Redis is down', () => {
  it('answers its page 503 with Retry-After, not "expired", and goes on once Redis is back', async () => {
    const a = await startAuthorization(await relyingParty(server.url));
    expect(a.url).toMatch(/\/interaction\//);
    await redis.stop();
    try {
      const res = await a.browser.request(a.url, { headers: { accept: 'text/html' } });
      const html = await res.text();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(html).not.toContain('has expired');
    } finally {
      await redis.start();
    }
    // The connection comes back by itself within a second or so.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      const res = await a.browser.request(a.url, { headers: { accept: 'text/html' } });
      await res.text();
      status = res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });

  it('still calls a sign-in Redis no longer knows expired', async () => {
    const a = await startAuthorization(await relyingParty(server.url));
    await server.redis.flushall();
    const res = await a.browser.request(a.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('has expired');
  });
});
