import { timingSafeEqual } from 'node:crypto';

/** Whether a posted CSRF token is the session's, compared in constant time. */
export function csrfMatches(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
