import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an `Authorization` header carries exactly this bearer token; compared in constant time. */
export function hasBearer(authorization: string, token: string): boolean {
  const m = /^Bearer (\S+)$/i.exec(authorization);
  // Digests, so that the comparison takes as long whatever the length of what was sent.
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}
