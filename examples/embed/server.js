// @ts-check
// A host that already runs oidc-provider on Koa, with its own users in SQLite, adding oidc-tap's sign-in:
// TAP, then a passkey. Everything oidc-tap's comes from the package's public API, as any outside team gets it.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import process from 'node:process';
import { DatabaseSync } from 'node:sqlite';
import Koa from 'koa';
import Provider from 'oidc-provider';
import { connectRedis, parseConfig, tapPlugin } from 'oidc-tap';
import { SqliteDirectory } from './SqliteDirectory.js';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const port = Number(env('PORT', '3000'));
// WebAuthn needs a host name (the RP ID), not an IP address: localhost for a try-out.
const issuer = env('ISSUER', `http://localhost:${port}`);

// 1. The host's own user store, as it was before oidc-tap.
const db = new DatabaseSync(env('DATABASE', ':memory:'));
db.exec(`CREATE TABLE IF NOT EXISTS people (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  department TEXT
)`);
db.prepare('INSERT OR IGNORE INTO people (id, email, name, department) VALUES (?, ?, ?, ?)').run('emp-1042', 'jdoe@example.com', 'Jane Doe', 'new-hires');

// 2. The host's secrets. Its existing cookie keys (newest first) keep its users' sessions valid; the signing keys
//    are generated here for the example only: a real host loads the ones it already publishes.
const cookieKeys = env('COOKIE_KEYS', randomUUID()).split(',');
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const secrets = {
  tapSecret: env('TAP_SECRET', randomUUID() + randomUUID()),
  cookieKeys,
  jwks: { keys: [{ ...signingKey, kid: 'host-rs256', alg: 'RS256', use: 'sig' }] },
};

// 3. oidc-tap: its config (clients, TAP policy) checked by parseConfig; the host's users through `directory`.
const config = parseConfig({
  clients: [
    {
      client_id: env('CLIENT_ID', 'host-app'),
      client_secret: env('CLIENT_SECRET', 'host-app-secret-0123456789'),
      redirect_uris: [env('REDIRECT_URI', `http://localhost:${port + 1}/cb`)],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    // The host's onboarding job issues TAPs through the admin API with client credentials.
    {
      client_id: 'onboarding',
      client_secret: env('ONBOARDING_SECRET', 'onboarding-secret-0123456789'),
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      permissions: ['UserAuthMethod-TAP.ReadWrite.All'],
    },
  ],
  tapPolicy: { state: 'enabled' },
});
const redis = connectRedis(env('REDIS_URL', 'redis://127.0.0.1:6379'));
const plugin = tapPlugin({ issuer, redis, config, secrets, directory: new SqliteDirectory(db) });
await plugin.importConfig();

// 4. The provider: oidc-tap's configuration (its findAccount reads the directory, its interactions are its pages,
//    its adapter is Redis); the host's own settings go on top of it.
const provider = new Provider(issuer, { ...plugin.configuration });

// 5. The Koa app: the host's own routes, then oidc-tap's, then the provider.
const app = new Koa();
app.use(plugin.guards(provider)); // page headers, token rate limits, Redis outages answered 503
app.use(async (ctx, next) => {
  if (ctx.path !== '/') return next();
  ctx.type = 'text/plain';
  ctx.body = 'The host application. Sign in at /auth through a client.';
});
app.use(plugin.routes(provider)); // the sign-in pages and their assets
app.use(plugin.api(provider)); // the admin API (/v1.0) and /openapi.json
const oidc = provider.callback();
app.use(async (ctx) => {
  ctx.respond = false;
  await oidc(ctx.req, ctx.res);
});

const server = http.createServer(app.callback());
server.listen(port, '127.0.0.1', () => process.stdout.write(`host listening on ${issuer}\n`));

const stop = async () => {
  server.close();
  server.closeAllConnections();
  await plugin.close(); // stops the security-event loop, before Redis goes
  redis.disconnect();
  db.close();
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
