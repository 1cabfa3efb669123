/**
 * The baseline: stock oidc-provider with its built-in devInteractions (login form, consent form), on the same
 * Redis adapter as oidc-tap, with the same keys, clients, lifetimes and PKCE rule. Started by the bench as its
 * own process: PORT, ISSUER, REDIS_URL, CONFIG (clients), JWKS_FILE, COOKIE_KEYS.
 *
 * With BASELINE_STORE=memory it has no adapter option, so oidc-provider keeps everything in its own in-memory
 * store (an LRU of 1000 entries) and REDIS_URL is not used: the ceiling, what the same work costs without any
 * store round trip.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider, { type ClientMetadata, type JWK } from 'oidc-provider';
import type * as AdapterModule from '../src/store/redisAdapterFactory.ts';
import type * as ConnectModule from '../src/store/connectRedis.ts';

const dist = new URL('../dist/', import.meta.url);
const { redisAdapterFactory } = (await import(new URL('store/redisAdapterFactory.js', dist).href)) as typeof AdapterModule;
const { connectRedis } = (await import(new URL('store/connectRedis.js', dist).href)) as typeof ConnectModule;

const env = process.env;
const port = Number(env.PORT ?? 3100);
const issuer = env.ISSUER ?? `http://localhost:${port}`;
const config = JSON.parse(readFileSync(env.CONFIG!, 'utf8')) as { clients: (ClientMetadata & { permissions?: string[] })[] };
const jwks = JSON.parse(readFileSync(env.JWKS_FILE!, 'utf8')) as { keys: JWK[] };
const inMemory = env.BASELINE_STORE === 'memory';
if (!inMemory && env.BASELINE_STORE !== undefined && env.BASELINE_STORE !== 'redis') throw new Error(`baseline: BASELINE_STORE must be redis or memory, not ${env.BASELINE_STORE}`);
const redis = inMemory ? undefined : connectRedis(env.REDIS_URL!);

const day = 24 * 3600;
const provider = new Provider(issuer, {
  ...(redis ? { adapter: redisAdapterFactory(redis, new Map()) } : {}),
  clients: config.clients.map(({ permissions: _permissions, ...metadata }) => metadata),
  clientDefaults: {
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    require_auth_time: true,
  },
  jwks,
  cookies: { keys: env.COOKIE_KEYS!.split(','), long: { httpOnly: true, sameSite: 'lax' }, short: { httpOnly: true, sameSite: 'lax' } },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    ClientCredentials: 3600,
    IdToken: 3600,
    RefreshToken: 14 * day,
    Grant: 14 * day,
    Interaction: 3600,
    Session: 14 * day,
  },
  rotateRefreshToken: true,
});

const server = http.createServer(provider.callback());
server.listen(port, () => process.stderr.write(`baseline listening on ${port}\n`));
const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    redis?.disconnect();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
