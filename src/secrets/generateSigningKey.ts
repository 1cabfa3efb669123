import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'oidc-provider';

/**
 * A new private signing key as a JWK with a random kid. `publishOnly` marks it `"key_ops": ["verify"]`: published
 * in /jwks but never signing, the first step of a rotation (README, "Rotating secrets").
 */
export async function generateSigningKey(alg: 'RS256' | 'ES256', { publishOnly = false } = {}): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg, use: 'sig', ...(publishOnly ? { key_ops: ['verify'] } : {}) } as JWK;
}
