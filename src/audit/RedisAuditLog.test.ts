import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../store/keys.js';
import { startRestartableRedis, type RestartableRedis } from '../../test/support/redis.js';
import { testServices, type TestServices } from '../../test/support/testServices.js';
import { byTest } from '../../test/support/byTest.js';
import { auditRecords } from './auditRecords.js';

let redis: RestartableRedis;
let s: TestServices;

beforeAll(async () => {
  redis = await startRestartableRedis();
  s = testServices(redis.url);
  await s.redis.ping();
});

afterAll(async () => {
  s?.close();
  await redis?.destroy();
});

describe('RedisAuditLog through an outage', () => {
  it('keeps a record it could not write, logs it whole, and writes it (then tells its listeners) once Redis is back', async () => {
    const told: string[] = [];
    s.audit.subscribe({ directory: (_input, record) => told.push(String(record.activityDisplayName)) });
    await redis.stop();
    // Resolves: the action it records has happened, and the record is not lost.
    await s.audit.recordDirectory(auditRecords.sessionsRevoked(byTest, { id: 'u-1', displayName: 'Kept Record', userPrincipalName: 'kept@contoso.com' }));
    const deferred = s.logs.find((l) => l.includes('"msg":"audit.write.deferred"'));
    expect(deferred).toContain('kept@contoso.com');
    expect(told).toEqual([]);
    await redis.start();
    let stored = '';
    for (let i = 0; i < 100 && !stored.includes('kept@contoso.com'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      stored = JSON.stringify(await s.redis.xrange(keys.auditDirectory(), '-', '+').catch(() => []));
    }
    expect(stored).toContain('kept@contoso.com');
    expect(told).toHaveLength(1);
    expect(s.logs.some((l) => l.includes('"msg":"audit.write.caughtUp"'))).toBe(true);
  });
});
