import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, exportJWK } from 'jose';
import type { JWK } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { DELEGATED_PERMISSIONS, type AppConfig } from '../../src/config/AppConfig.js';
import { parseConfig } from '../../src/config/parseConfig.js';
import { createApp } from '../../src/createApp.js';
import type { UserDirectory } from '../../src/directory/UserDirectory.js';
import { createLogger } from '../../src/log/createLogger.js';
import type { Secrets } from '../../src/secrets/Secrets.js';
import { connectRedis, type Store } from '../../src/store/connectRedis.js';
import { tapPlugin, type TapPlugin } from '../../src/tapPlugin.js';
import { TestClock } from './TestClock.js';

export const CLIENT_ID = 'test-rp';
export const CLIENT_SECRET = 'test-rp-secret-0123456789';
export const REDIRECT_URI = 'http://127.0.0.1:9/cb';

export { TestClock };

/**
 * The relying party of the tests. It may ask a signed-in person for every admin API scope (the tests of the
 * admin API get their delegated tokens through it); the person still accepts them (rp.ts accepts the consent page).
 */
export const TEST_CLIENT = {
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
  client_name: 'Test RP',
  redirect_uris: [REDIRECT_URI],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  delegatedPermissions: [...DELEGATED_PERMISSIONS],
};

/** The users of the test tenant. */
export const TEST_USERS = [
  { userPrincipalName: 'admin@contoso.com', displayName: 'Ada Admin', roles: ['GlobalAdministrator'] },
  { userPrincipalName: 'jdoe@contoso.com', displayName: 'Jane Doe', groups: ['new-hires'] },
  { userPrincipalName: 'pat@contoso.com', displayName: 'Pat Password', groups: ['staff'], password: 'correct horse battery staple' },
  { userPrincipalName: 'ext@partner.com', displayName: 'External Guest', userType: 'Guest', guestOrigin: 'external' },
  { userPrincipalName: 'int@contoso.com', displayName: 'Internal Guest', userType: 'Guest', guestOrigin: 'internal' },
  { userPrincipalName: 'fed@fabrikam.test', displayName: 'Fed User' },
  { userPrincipalName: 'contractor@contoso.com', displayName: 'Contractor', groups: ['contractors'] },
];

/** The tenant the integration tests use; `extra` replaces top-level fields (e.g. more clients or users). */
export function testConfig(extra: Record<string, unknown> = {}): AppConfig {
  return parseConfig({
    clients: [TEST_CLIENT],
    users: TEST_USERS,
    tapPolicy: { state: 'enabled', minimumLifetimeInMinutes: 10 },
    federation: {
      domains: { 'fabrikam.test': { issuer: 'http://127.0.0.1:9/upstream', clientId: 'oidc-tap', clientSecret: 'upstream-secret' } },
    },
    ...extra,
  });
}

let sharedSecrets: Promise<Secrets> | undefined;
/** One set of server secrets per test file, so that two servers in a file act as one deployment. */
export function testSecrets(): Promise<Secrets> {
  sharedSecrets ??= (async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    return {
      tapSecret: 'test-tap-secret-0123456789-0123456789',
      cookieKeys: ['test-cookie-key-0123456789'],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256', use: 'sig' } as JWK] },
    };
  })();
  return sharedSecrets;
}

export interface TestServer {
  url: string;
  plugin: TapPlugin;
  provider: Provider;
  redis: Store;
  clock: TestClock;
  /** Every log line the server wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** The complete provider, in this process, on a free loopback port, against the given Redis. */
export async function startTestServer(
  redisUrl: string,
  /** `host: 'localhost'` for WebAuthn tests: an IP address cannot be a WebAuthn RP ID. */
  opts: { config?: AppConfig; clock?: TestClock; host?: 'localhost' | '127.0.0.1'; trustProxy?: boolean; metricsToken?: string; directory?: UserDirectory } = {},
): Promise<TestServer> {
  const logs: string[] = [];
  const logger = createLogger((l) => logs.push(l));
  const redis = connectRedis(redisUrl);
  const clock = opts.clock ?? new TestClock();
  const config = opts.config ?? testConfig();
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // The issuer must be known before the plugin is built, and the port only after listening.
  const url = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  const plugin = tapPlugin({ issuer: url, redis, config, secrets: await testSecrets(), clock, logger, ...(opts.directory ? { directory: opts.directory } : {}) });
  await plugin.importConfig();
  const { app, provider } = createApp({ issuer: url, plugin, redis, trustProxy: opts.trustProxy ?? false, ...(opts.metricsToken ? { metricsToken: opts.metricsToken } : {}) });
  server.on('request', app.callback());
  return {
    url,
    plugin,
    provider,
    redis,
    clock,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await plugin.close();
      redis.disconnect();
    },
  };
}

/**
 * The provider for `issuer` (e.g. an https one), listening on a loopback port behind which a TLS-terminating proxy
 * would sit (`TRUST_PROXY`): `url` is where tests reach it, never the issuer. The config's users are imported.
 */
export async function startProxiedServer(
  redisUrl: string,
  issuer: string,
  clock: TestClock,
  config: AppConfig = testConfig(),
): Promise<{ url: string; plugin: TapPlugin; close(): Promise<void> }> {
  const redis = connectRedis(redisUrl);
  const plugin = tapPlugin({ issuer, redis, config, secrets: await testSecrets(), clock, logger: createLogger(() => {}) });
  await plugin.importConfig();
  const { app } = createApp({ issuer, plugin, redis, trustProxy: true });
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    plugin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await plugin.close();
      redis.disconnect();
    },
  };
}
