import { createHash } from 'node:crypto';

/**
 * The deployment's tenant id (`tid`): the configured one, or a GUID derived from the issuer (a name-based UUID,
 * version 8 of RFC 9562, over SHA-256), so that every server of a deployment gives the same one without config
 * and a restart keeps it.
 */
export function tenantIdOf(issuer: string, configured?: string): string {
  if (configured) return configured.toLowerCase();
  const b = createHash('sha256').update(`oidc-tap tenant ${issuer.replace(/\/$/, '')}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
