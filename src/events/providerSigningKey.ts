import { importJWK, type JWK as JoseJWK } from 'jose';
import type { JWK } from 'oidc-provider';

const ALG_OF_CURVE: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA' };
const imported = new WeakMap<JWK, Promise<{ key: CryptoKey | Uint8Array; alg: string; kid?: string }>>();

/** A key that may sign: `use` sig or unset, and not published-only (`key_ops` without `sign`, see README "Rotating secrets"). */
const signs = (k: JWK) => (!k.use || k.use === 'sig') && (!Array.isArray(k.key_ops) || k.key_ops.includes('sign'));

/**
 * The key our own tokens (security events, logout tokens) are signed with: the first RSA key of the provider's
 * private keys (RS256, as oidc-provider's ID tokens), so that a receiver checks them against the provider's `/jwks`.
 * A key being introduced (`"key_ops": ["verify"]`) is published but never signs, as with oidc-provider.
 */
export function providerSigningKey(jwks: { keys: JWK[] }): Promise<{ key: CryptoKey | Uint8Array; alg: string; kid?: string }> {
  const jwk = jwks.keys.find((k) => k.kty === 'RSA' && signs(k)) ?? jwks.keys.find(signs);
  if (!jwk) throw new Error('no signing key among the provider keys');
  let key = imported.get(jwk);
  if (!key) {
    const alg = (jwk.alg as string | undefined) ?? (jwk.kty === 'RSA' ? 'RS256' : ALG_OF_CURVE[(jwk.crv as string | undefined) ?? ''] ?? 'ES256');
    key = importJWK(jwk as JoseJWK, alg).then((k) => ({ key: k, alg, ...(jwk.kid ? { kid: jwk.kid as string } : {}) }));
    imported.set(jwk, key);
  }
  return key;
}
