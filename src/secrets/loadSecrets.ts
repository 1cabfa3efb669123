import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'oidc-provider';
import type { Env } from '../config/readEnv.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import type { Secrets } from './Secrets.js';

function writePrivate(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function generateJwks(): Promise<{ keys: JWK[] }> {
  const rsa = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const ec = await generateKeyPair('ES256', { extractable: true });
  return {
    keys: [
      { ...(await exportJWK(rsa.privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' } as JWK,
      { ...(await exportJWK(ec.privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' } as JWK,
    ],
  };
}

/**
 * Secrets from the environment, or generated once and kept under the data folder (mode 0600) with a
 * warning, so a demo restarts with the same keys and a production deployment is told to set them.
 */
export async function loadSecrets(env: Env, log: Logger): Promise<Secrets> {
  const file = path.join(env.dataDir, 'secrets.json');
  let stored: { tapSecret?: string; cookieKeys?: string[] } = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
  let changed = false;
  if (!env.tapSecret && !stored.tapSecret) {
    stored.tapSecret = randomBytes(32).toString('base64url');
    changed = true;
  }
  if (!env.cookieKeys && !stored.cookieKeys) {
    stored.cookieKeys = [randomBytes(32).toString('base64url')];
    changed = true;
  }
  if (changed) writePrivate(file, JSON.stringify(stored, null, 2));
  if (!env.tapSecret || !env.cookieKeys) {
    log.warn('secrets.generated', { file, note: 'TAP_SECRET and/or COOKIE_KEYS are unset; using secrets generated once and kept in this file' });
  }

  let jwks: { keys: JWK[] };
  const jwksFile = env.jwksFile ?? path.join(env.dataDir, 'jwks.json');
  if (existsSync(jwksFile)) {
    try {
      jwks = JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: JWK[] };
      if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error('no keys');
    } catch (e) {
      throw new ConfigError('JWKS_FILE', `"${jwksFile}" is not a JWK set with private keys (${(e as Error).message})`);
    }
  } else if (env.jwksFile) {
    throw new ConfigError('JWKS_FILE', `cannot read "${jwksFile}"`);
  } else {
    jwks = await generateJwks();
    writePrivate(jwksFile, JSON.stringify(jwks));
    log.warn('secrets.generated', { file: jwksFile, note: 'JWKS_FILE is unset; generated signing keys kept in this file' });
  }
  return { tapSecret: env.tapSecret ?? stored.tapSecret!, cookieKeys: env.cookieKeys ?? stored.cookieKeys!, jwks };
}
