import type { User } from '../directory/User.js';
import { BadRequestError } from '../errors.js';

const FIELDS = { userPrincipalName: (u: User) => u.userPrincipalName, displayName: (u: User) => u.displayName } as const;
type Field = keyof typeof FIELDS;
const CLAUSE = /^(?:(userPrincipalName|displayName) eq '((?:[^']|'')*)'|startswith\((userPrincipalName|displayName),\s*'((?:[^']|'')*)'\))$/;

/**
 * `$filter` for users, the part of OData that Graph scripts use on them: `eq` and `startswith` on
 * userPrincipalName and displayName, joined by `and`. Comparisons ignore case, as Graph's do.
 */
export function parseUserFilter(filter: string | undefined): (u: User) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  if (filter.length > 1000) throw new BadRequestError('$filter is too long.');
  const tests = filter.split(/\s+and\s+/i).map((part) => {
    const m = CLAUSE.exec(part.trim());
    if (!m) {
      throw new BadRequestError(
        `Unsupported $filter clause "${part.trim().slice(0, 100)}". Use userPrincipalName or displayName with eq, or startswith(field,'value'), joined by and.`,
      );
    }
    const field = (m[1] ?? m[3]) as Field;
    const value = (m[2] ?? m[4])!.replaceAll("''", "'").toLowerCase();
    const get = FIELDS[field];
    return m[1] ? (u: User) => get(u).toLowerCase() === value : (u: User) => get(u).toLowerCase().startsWith(value);
  });
  return (u) => tests.every((t) => t(u));
}
