import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs and checks oidc-provider's cookies as keygrip does (HMAC-SHA1 of `name=value`, base64url, newest key
 * first), so cookies signed before or by another instance stay valid, but without keygrip's comparison, which
 * draws 32 random bytes and runs two more HMACs for every key it tries. Every request of a sign-in reads two or
 * three signed cookies: that was about 3% of a sign-in's CPU (issue #18). Both signatures compared here are ours
 * to compute or fixed-length, so `timingSafeEqual` after a length check leaks nothing keygrip's compare would not.
 */
export class CookieSigner {
  private readonly keys: readonly string[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('cookie keys (secrets.cookieKeys): at least one is needed to sign the cookies');
    this.keys = keys;
  }

  sign(data: string): string {
    return this.digest(data, this.keys[0]!);
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** Which key signed `data` (0: the newest; more: an older one, and the cookies module signs it again), or -1. */
  index(data: string, digest: string): number {
    if (typeof digest !== 'string') return -1;
    const given = Buffer.from(digest);
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(this.digest(data, this.keys[i]!));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return i;
    }
    return -1;
  }

  private digest(data: string, key: string): string {
    return createHmac('sha1', key).update(data).digest('base64url');
  }
}
