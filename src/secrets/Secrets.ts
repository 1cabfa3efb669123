import type { JWK } from 'oidc-provider';

/** Server secrets; none of them ever lives in Redis. */
export interface Secrets {
  /** Keys the TAP passcode hashes. */
  tapSecret: string;
  /** Cookie signing keys, newest first. */
  cookieKeys: string[];
  /** Private signing keys of the provider. */
  jwks: { keys: JWK[] };
}
