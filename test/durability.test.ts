import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/createLogger.js';
import { freePort } from '../src/store/startEmbeddedRedis.js';
import { replicated } from '../src/store/replicated.js';
import { apiClient, appToken, graph } from './support/graph.js';
import { keys } from '../src/store/keys.js';
import { startTestRedis } from './support/redis.js';
import { spawnRedis, type RedisProcess } from './support/spawnRedis.js';
import { startTestServer, TEST_CLIENT, testConfig, type TestServer } from './support/testServer.js';

const SCOPE = 'User.ReadWrite.All UserAuthMethod-TAP.ReadWrite.All';
let master: Awaited<ReturnType<typeof startTestRedis>>;
let replica: RedisProcess;
let replicaDir: string;
let server: TestServer;
let token: string;
let userId: string;

beforeAll(async () => {
  master = await startTestRedis();
  replicaDir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-replica-'));
  const port = await freePort();
  replica = await spawnRedis(replicaDir, port, ['--port', String(port), '--bind', '127.0.0.1', '--dir', replicaDir, '--save', '', '--replicaof', '127.0.0.1', String(master.port)]);
  server = await startTestServer(master.url, { config: testConfig({ clients: [TEST_CLIENT, apiClient('durable-admin', 'durable-admin-secret-0123456789', SCOPE.split(' '))] }) });
  token = await appToken(server.url, 'durable-admin', 'durable-admin-secret-0123456789', SCOPE);
  userId = (await graph(server.url, token, 'GET', '/users/jdoe@contoso.com')).body.id as string;
  // The replica has synced once the master counts it.
  for (let i = 0; i < 100 && Number(await server.redis.call('WAIT', 1, 50)) < 1; i++);
});

afterAll(async () => {
  await server?.close();
  await replica?.kill();
  await master?.stop();
  rmSync(replicaDir, { recursive: true, force: true });
});

const createTap = () => graph(server.url, token, 'POST', `/users/${userId}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60 });

describe('the durability option (REDIS_WAIT_REPLICAS)', () => {
  it('acknowledges a TAP once a replica has it', async () => {
    replicated.require(server.redis, { replicas: 1, timeoutMs: 2_000 });
    const tap = await createTap();
    expect(tap.status).toBe(201);
  });

  it('refuses with 503 and Retry-After a TAP no replica confirmed in time, and logs why', async () => {
    await replica.kill();
    const logs: string[] = [];
    replicated.require(server.redis, { replicas: 1, timeoutMs: 100, log: createLogger((l) => logs.push(l)) });
    const refused = await createTap();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(logs.join('')).toContain('"msg":"redis.wait.timeout"');
  });

  it('waits after a write’s audit record, so that what it acknowledges keeps its record: a TAP refused for want of a replica has its record on the master', async () => {
    // The replica was stopped above. The user's TAP is deleted first, with the option off: replacing it would
    // end what it signed in to, a revocation that waits (and is refused) before the new TAP is recorded.
    replicated.require(server.redis, { replicas: 0, timeoutMs: 100 });
    const path = `/users/${userId}/authentication/temporaryAccessPassMethods`;
    for (const tap of (await graph(server.url, token, 'GET', path)).body.value as { id: string }[]) {
      expect((await graph(server.url, token, 'DELETE', `${path}/${tap.id}`)).status).toBe(204);
    }
    replicated.require(server.redis, { replicas: 1, timeoutMs: 100 });
    const since = Date.now();
    const refused = await createTap();
    expect(refused.status).toBe(503);
    const records = (await server.redis.xrange(keys.auditDirectory(), String(since), '+')).map(([, f]) => f.join(' '));
    expect(records.filter((r) => r.includes('Admin registered security info') && r.includes(userId))).toHaveLength(1);
  });

  it('off (the default), acknowledges without any replica', async () => {
    replicated.require(server.redis, { replicas: 0, timeoutMs: 100 });
    expect((await createTap()).status).toBe(201);
  });
});
