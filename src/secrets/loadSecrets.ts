import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'oidc-provider';
import type { Env } from '../config/readEnv.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import { generateSigningKey } from './generateSigningKey.js';
import type { Secrets } from './Secrets.js';

/**
 * Create `file` with `content` unless it exists, atomically: the content goes to a file of this process's own,
 * which is then hard-linked to the final name. link() fails when the name exists, so of instances starting together
 * on a shared DATA_DIR exactly one creates it, and no one ever reads a half-written file. Returns what the file
 * holds afterwards (ours, or the winner's).
 */
function createOnce(file: string, content: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const mine = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(mine, content, { mode: 0o600, flag: 'wx' });
  chmodSync(mine, 0o600);
  try {
    linkSync(mine, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(mine, { force: true });
  }
  return readFileSync(file, 'utf8');
}


/**
 * Secrets from the environment, or generated once and kept under the data folder (mode 0600) with a
 * warning, so a demo restarts with the same keys and a production deployment is told to set them. Instances
 * sharing the data folder get the same ones, whichever starts first (`createOnce`).
 */
export async function loadSecrets(env: Env, log: Logger): Promise<Secrets> {
  let tapSecret = env.tapSecret;
  let cookieKeys = env.cookieKeys;
  if (!tapSecret || !cookieKeys) {
    const file = path.join(env.dataDir, 'secrets.json');
    const fresh = { tapSecret: randomBytes(32).toString('base64url'), cookieKeys: [randomBytes(32).toString('base64url')] };
    let stored: { tapSecret?: string; cookieKeys?: string[] };
    try {
      stored = JSON.parse(existsSync(file) ? readFileSync(file, 'utf8') : createOnce(file, JSON.stringify(fresh, null, 2))) as typeof stored;
    } catch (e) {
      throw new ConfigError('DATA_DIR', `"${file}" is not a secrets file oidc-tap wrote (${(e as Error).message}); set TAP_SECRET and COOKIE_KEYS, or remove it`);
    }
    // A file of an earlier version may hold only what the environment did not set then.
    tapSecret ??= stored.tapSecret;
    cookieKeys ??= stored.cookieKeys?.length ? stored.cookieKeys : undefined;
    if (!tapSecret || !cookieKeys) {
      throw new ConfigError(tapSecret ? 'COOKIE_KEYS' : 'TAP_SECRET', `is unset and "${file}" does not hold one; set it, or remove the file to generate both`);
    }
    log.warn('secrets.generated', { file, note: 'TAP_SECRET and/or COOKIE_KEYS are unset; using secrets generated once and kept in this file' });
  }

  let jwks: { keys: JWK[] };
  const jwksFile = env.jwksFile ?? path.join(env.dataDir, 'jwks.json');
  if (!existsSync(jwksFile) && env.jwksFile) throw new ConfigError('JWKS_FILE', `cannot read "${jwksFile}"`);
  if (!existsSync(jwksFile)) {
    createOnce(jwksFile, JSON.stringify({ keys: [await generateSigningKey('RS256'), await generateSigningKey('ES256')] }));
    log.warn('secrets.generated', { file: jwksFile, note: 'JWKS_FILE is unset; generated signing keys kept in this file' });
  }
  try {
    jwks = JSON.parse(readFileSync(jwksFile, 'utf8')) as { keys: JWK[] };
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error('no keys');
  } catch (e) {
    throw new ConfigError(env.jwksFile ? 'JWKS_FILE' : 'DATA_DIR', `"${jwksFile}" is not a JWK set with private keys (${(e as Error).message})`);
  }
  return { tapSecret, cookieKeys, jwks };
}
