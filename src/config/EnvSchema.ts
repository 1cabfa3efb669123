import { Type } from '@sinclair/typebox';

/** A variable: a string, described, with the default the README shows. */
function variable(description: string, defaultText: string, extra: Record<string, unknown> = {}) {
  return Type.Optional(Type.String({ description, defaultText, ...extra }));
}

/**
 * The process environment: each variable's meaning and default live here, and the README's table is generated
 * from them (`npm run docs:options`). What a pattern cannot say (a port's range, a URL, each cookie key's length,
 * a yes/no word) is checked in readEnv.ts.
 */
export const EnvSchema = Type.Object(
  {
    PORT: variable('HTTP port', '`3000`'),
    ISSUER: variable('public issuer URL (also the WebAuthn origin)', '`http://localhost:$PORT`'),
    REDIS_URL: variable(
      '`redis[s]://[user:pass@]host:port`, `redis[s]+cluster://[user:pass@]h1:p1,h2:p2`, `redis[s]+sentinel://[user:pass@]h1:p1,h2:p2/<master>` (README, "Redis topologies")',
      'unset: embedded `redis-server`',
      {
        pattern: '^rediss?(\\+cluster|\\+sentinel)?://',
        errorMessage: 'must start with redis://, rediss://, redis+cluster://, rediss+cluster://, redis+sentinel:// or rediss+sentinel://',
      },
    ),
    CONFIG: variable('JSON config file', '`config/default.json`'),
    TAP_SECRET: variable('key of the passcode hashes (≥ 32 chars)', 'generated into `./var/secrets.json`', { minLength: 32, errorMessage: 'must be at least 32 characters' }),
    COOKIE_KEYS: variable('comma-separated cookie signing keys, newest first (≥ 16 chars each)', 'generated into `./var/secrets.json`'),
    JWKS_FILE: variable('JSON Web Key Set with the private signing keys', 'generated into `./var/jwks.json`'),
    TRUST_PROXY: variable(
      'trust `X-Forwarded-For` and `X-Forwarded-Proto` (only behind one proxy that sets them; the client address is the last `X-Forwarded-For` entry); URLs always come from `ISSUER`, never from `X-Forwarded-Host`',
      'off',
    ),
    REDIS_WAIT_REPLICAS: variable(
      'durability: acknowledge TAP creation, deletion and one-time use, passkey registration and revocation only once this many replicas have them (Redis `WAIT`; README, "Durability")',
      '`0` (off)',
      { pattern: '^[0-9]$', errorMessage: 'must be a number of replicas, 0 to 9' },
    ),
    REDIS_WAIT_TIMEOUT_MS: variable('how long such a write waits for its replicas before the request is refused with 503', '`500`', {
      pattern: '^[1-9][0-9]{0,4}$',
      errorMessage: 'must be milliseconds, 1 to 99999',
    }),
    DATA_DIR: variable('where generated secrets and the embedded Redis live', '`./var`'),
    METRICS_TOKEN: variable('when set (≥ 16 chars), `GET /metrics` needs `Authorization: Bearer <token>` and answers 401 otherwise', 'unset: `/metrics` is open (block it at the proxy)', {
      minLength: 16,
      errorMessage: 'must be at least 16 characters',
    }),
  },
  { errorMessage: 'must be an object' },
);
