import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultLoad } from '../support/runFaultLoad.js';
import { selfSignedCertificate } from '../support/selfSignedCertificate.js';
import { startRedisCluster, type TestCluster } from '../support/startRedisCluster.js';

let cluster: TestCluster;
let dir: string;
const trusted = tls.getCACertificates('default');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-redis-tls-'));
  const { key, cert } = selfSignedCertificate();
  writeFileSync(path.join(dir, 'key.pem'), key);
  writeFileSync(path.join(dir, 'cert.pem'), cert);
  // Trusted as a managed service's CA would be (NODE_EXTRA_CA_CERTS in a deployment).
  tls.setDefaultCACertificates([...trusted, cert]);
  cluster = await startRedisCluster({ tls: { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') } });
});

afterAll(async () => {
  await cluster?.stop();
  tls.setDefaultCACertificates(trusted);
  rmSync(dir, { recursive: true, force: true });
});

describe('two instances on a TLS-only Redis Cluster with a password (rediss+cluster://)', () => {
  it('serves sign-ins and admin writes, and answers a master failover with success or 503 only', async () => {
    expect(cluster.url).toMatch(/^rediss\+cluster:\/\/:[^@]+@127\.0\.0\.1:\d+,/);
    const report = await runFaultLoad(cluster.url, async () => {
      await (await cluster.pair()).master.kill();
    });
    console.log(JSON.stringify({ topology: 'cluster, TLS', ...report }));
    expect(report.created).toBeGreaterThan(5);
    expect(report.signIns).toBeGreaterThan(5);
  });
});
