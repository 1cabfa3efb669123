import { BadRequestError } from '../errors.js';

const SEARCHABLE = ['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'jobTitle', 'department'] as const;
const CLAUSE = /^"([A-Za-z]+):([^"]*)"$/;

/** The words of a value as Graph's tokenized search sees them: split at spaces, punctuation and case changes. */
const words = (v: string) => v.split(/[^\p{L}\p{N}]+|(?<=\p{Ll})(?=\p{Lu})/u).filter(Boolean).map((w) => w.toLowerCase());

/**
 * `$search` on users as Graph's directory reads it: `"property:text"` clauses joined by AND or OR (AND first). A
 * clause matches when each word of the text begins a word of the property, ignoring case.
 */
export function parseUserSearch(search: string): (user: Record<string, unknown>) => boolean {
  const fail = (why: string): never => {
    throw new BadRequestError(`Invalid $search: ${why} Write it as "displayName:jane", clauses joined by AND or OR.`, undefined, 'Request_UnsupportedQuery');
  };
  const anyOf = search.split(/\s+OR\s+/).map((group) =>
    group.split(/\s+AND\s+/).map((part) => {
      const m = CLAUSE.exec(part.trim());
      if (!m) fail(`'${part.trim().slice(0, 100)}' is not a quoted "property:text" clause.`);
      const property = SEARCHABLE.find((p) => p.toLowerCase() === m![1]!.toLowerCase());
      if (!property) fail(`'${m![1]}' cannot be searched; search ${SEARCHABLE.join(', ')}.`);
      const wanted = words(m![2]!);
      return (u: Record<string, unknown>) => {
        const have = typeof u[property!] === 'string' ? words(u[property!] as string) : [];
        return wanted.every((w) => have.some((h) => h.startsWith(w)));
      };
    }),
  );
  return (u) => anyOf.some((all) => all.every((t) => t(u)));
}
