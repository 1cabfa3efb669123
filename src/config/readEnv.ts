import path from 'node:path';
import { checkSchema } from '../checkSchema.js';
import { ConfigError } from '../errors.js';
import { EnvSchema } from './EnvSchema.js';
import { parseRedisUrl } from '../store/parseRedisUrl.js';

const checkEnv = checkSchema(EnvSchema);

/** The process environment (README, "Configuration"), validated. */
export interface Env {
  port: number;
  issuer: string;
  /** Unset: start redis-server from PATH. */
  redisUrl?: string;
  configPath: string;
  tapSecret?: string;
  cookieKeys?: string[];
  jwksFile?: string;
  trustProxy: boolean;
  /** Where generated secrets and the embedded Redis live (DATA_DIR, default ./var). */
  dataDir: string;
  /** Unset: `/metrics` answers anyone who can reach it. */
  metricsToken?: string;
  /** The durability option: replicas a write that matters waits for (0: off), and how long. */
  waitForReplicas: { replicas: number; timeoutMs: number };
}

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || /^(|0|false|no|off)$/i.test(value)) return false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  throw new ConfigError(name, `"${value}" is not one of true/false/1/0/yes/no/on/off`);
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const checked = checkEnv({ ...env });
  if (!checked.ok) throw new ConfigError(checked.field, checked.message);
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `"${env.PORT}" is not a port number`);
  const issuer = env.ISSUER ?? `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError('ISSUER', `"${issuer}" is not a URL`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new ConfigError('ISSUER', 'must be an http(s) URL without query or fragment');
  }
  const cookieKeys = env.COOKIE_KEYS?.split(',').map((k) => k.trim()).filter(Boolean);
  if (cookieKeys && cookieKeys.some((k) => k.length < 16)) {
    throw new ConfigError('COOKIE_KEYS', 'each comma-separated key must be at least 16 characters');
  }
  // Read once here so that a mistake in it stops the start with one line, before any connection is tried.
  if (env.REDIS_URL) parseRedisUrl(env.REDIS_URL);
  return {
    port,
    issuer: issuer.replace(/\/$/, ''),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    configPath: env.CONFIG ?? 'config/default.json',
    ...(env.TAP_SECRET ? { tapSecret: env.TAP_SECRET } : {}),
    ...(cookieKeys?.length ? { cookieKeys } : {}),
    ...(env.JWKS_FILE ? { jwksFile: env.JWKS_FILE } : {}),
    trustProxy: flag('TRUST_PROXY', env.TRUST_PROXY),
    dataDir: path.resolve(env.DATA_DIR ?? 'var'),
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    waitForReplicas: { replicas: Number(env.REDIS_WAIT_REPLICAS ?? 0), timeoutMs: Number(env.REDIS_WAIT_TIMEOUT_MS ?? 500) },
  };
}
