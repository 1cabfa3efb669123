import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/createLogger.js';
import { connectRedis, type Store } from '../src/store/connectRedis.js';
import { tapPlugin, type TapPlugin } from '../src/tapPlugin.js';
import { startTestRedis } from './support/redis.js';
import { testConfig, testSecrets, TEST_CLIENT } from './support/testServer.js';

/**
 * A host as the README's "Using it as a plugin" builds it: its own Koa app and Provider, with only what the plugin
 * hands out mounted (no createApp). Whatever the plugin's pages need must come from those.
 */
let redisServer: Awaited<ReturnType<typeof startTestRedis>>;
let redis: Store;
let plugin: TapPlugin;
let server: http.Server;
let url: string;

beforeAll(async () => {
  redisServer = await startTestRedis();
  redis = connectRedis(redisServer.url);
  server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = testConfig({ clients: [TEST_CLIENT], options: { rateLimits: { tokenPerAddress: { limit: 2, windowSeconds: 60 } } } });
  plugin = tapPlugin({ issuer: url, redis, config, secrets: await testSecrets(), logger: createLogger(() => {}) });
  await plugin.importConfig();
  const provider = new Provider(url, plugin.configuration);
  const app = new Koa();
  app.use(plugin.guards(provider));
  app.use(plugin.routes(provider));
  app.use(plugin.api(provider));
  const oidc = provider.callback();
  app.use(async (ctx) => {
    ctx.respond = false;
    await oidc(ctx.req, ctx.res);
  });
  server.on('request', app.callback());
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
  await plugin?.close();
  redis?.disconnect();
  await redisServer?.stop().catch(() => {});
});

describe('a host mounting only plugin.guards(), plugin.routes() and plugin.api()', () => {
  it('serves every asset its pages load, under /assets/', async () => {
    for (const name of ['app.css', 'app.js', 'webauthn.js', 'passkey.js']) {
      const res = await fetch(`${url}/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toMatch(/^text\/(css|javascript)/);
      expect((await res.arrayBuffer()).byteLength, name).toBeGreaterThan(0);
    }
  });

  it('sends its pages with the strict CSP and the other page headers', async () => {
    const res = await fetch(`${url}/interaction/unknown-uid`, { headers: { accept: 'text/html' } });
    await res.text();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });

  it("refuses another site's post to its pages before anything is read", async () => {
    const res = await fetch(`${url}/interaction/unknown-uid/identifier`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=jdoe%40contoso.com',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Request refused');
  });

  it("limits the token endpoint's requests per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      await res.text();
      statuses.push(res.status);
    }
    expect(statuses[2]).toBe(429);
  });

  it('answers a Redis outage inside the provider with 503, not a 500', async () => {
    await redisServer.stop();
    {
      const res = await fetch(`${url}/.well-known/openid-configuration`);
      // Discovery reads no Redis: the provider itself is up; an authorization request stores its interaction.
      expect(res.status).toBe(200);
      const auth = await fetch(`${url}/auth?client_id=${TEST_CLIENT.client_id}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(TEST_CLIENT.redirect_uris[0]!)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`, { headers: { accept: 'application/json' }, redirect: 'manual' });
      expect(auth.status).toBe(503);
      expect(auth.headers.get('retry-after')).toBe('1');
    }
  });
});
