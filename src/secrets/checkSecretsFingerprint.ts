import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, type JWK as JoseJWK } from 'jose';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { Secrets } from './Secrets.js';

/** What Redis keeps of an instance's secrets: digests that tell secrets apart and reveal nothing of them. */
interface Fingerprint {
  tapSecret: string;
  cookieKeys: string[];
  /** `kid` and RFC 7638 thumbprint of each signing key (its public part). */
  signingKeys: string[];
}

const digest = (what: string, secret: string) => createHash('sha256').update(`oidc-tap fingerprint ${what}\0${secret}`).digest('base64url').slice(0, 22);

async function fingerprintOf(secrets: Secrets): Promise<Fingerprint> {
  return {
    tapSecret: digest('tap', secrets.tapSecret),
    cookieKeys: secrets.cookieKeys.map((k) => digest('cookie', k)),
    signingKeys: await Promise.all(secrets.jwks.keys.map(async (k) => `${String(k.kid)}:${await calculateJwkThumbprint(k as JoseJWK)}`)),
  };
}

/**
 * Refuse to start with secrets other than those of the deployment's running instances, with one line naming the
 * variable: instances that disagree refuse each other's passcodes (each refusal counted as a failure), cookies and
 * tokens, silently. The first instance records the fingerprint; each later one compares and then records its own.
 *
 * Rotation stays possible (README, "Rotating secrets"): cookie keys and signing keys need only share one key with
 * the recorded ones, which the publish-before-use steps always do. The TAP secret must be the same: passcode
 * hashes depend on it, and `oidc-tap secrets reset` forgets the record for a deliberate change. `record: false`
 * (the CLI) compares without recording.
 */
export async function checkSecretsFingerprint(redis: Store, secrets: Secrets, log: Logger, { record = true } = {}): Promise<void> {
  const mine = await fingerprintOf(secrets);
  const key = keys.secretsFingerprint();
  // GET, then SET NX (not SET NX GET, which needs Redis 7): of instances starting together, one records.
  let raw = await redis.get(key);
  // The CLI only compares: a TAP it issued with another TAP_SECRET would be refused by every instance.
  if (!record && raw === null) return;
  if (raw === null) {
    if ((await redis.set(key, JSON.stringify(mine), 'NX')) === 'OK') {
      log.info('secrets.fingerprint.recorded', {});
      return;
    }
    raw = (await redis.get(key)) ?? JSON.stringify(mine);
  }
  const theirs = JSON.parse(raw) as Fingerprint;
  const shares = (a: string[], b: string[]) => a.some((x) => b.includes(x));
  const problem =
    theirs.tapSecret !== mine.tapSecret
      ? { field: 'TAP_SECRET', what: 'differs from the one' }
      : !shares(mine.cookieKeys, theirs.cookieKeys)
        ? { field: 'COOKIE_KEYS', what: 'has none of the keys' }
        : !shares(mine.signingKeys, theirs.signingKeys)
          ? { field: 'JWKS_FILE', what: 'has none of the signing keys' }
          : mine.signingKeys.some((k) => theirs.signingKeys.some((t) => t.split(':')[0] === k.split(':')[0] && t !== k))
            ? { field: 'JWKS_FILE', what: 'gives a kid to another key than' }
            : undefined;
  if (problem) {
    throw new ConfigError(
      problem.field,
      `${problem.what} the other instances of this deployment run with (their fingerprint is in Redis); every instance needs the same secrets (README, "Rotating secrets")`,
    );
  }
  if (record && raw !== JSON.stringify(mine)) {
    await redis.set(key, JSON.stringify(mine));
    log.info('secrets.fingerprint.updated', {});
  }
}
