import type { User } from '../directory/User.js';
import { BadRequestError } from '../errors.js';
import { compileFilter } from '../odata/compileFilter.js';
import { parseFilter } from '../odata/parseFilter.js';
import { authorize } from './authorize.js';
import { expandMemberOf } from './expandMemberOf.js';
import type { OperationInput, OperationResult } from './Operation.js';
import { parseUserSearch } from './parseUserSearch.js';
import { requireCapability } from './requireCapability.js';
import { toGraphUser } from './toGraphUser.js';
import { userFilterFields } from './userFilterFields.js';

const ADVANCED = 'Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information';
/** Graph's sortable user properties, and whether sorting by it needs an advanced query. */
const SORTABLE: Record<string, boolean> = { displayName: false, userPrincipalName: false, createdDateTime: true };
/** endsWith works on these alone, as in Graph. */
const ENDS_WITH = new Set(['mail', 'userPrincipalName']);

const unsupported = (message: string): never => {
  throw new BadRequestError(message, undefined, 'Request_UnsupportedQuery');
};

function orderOf(orderby: string | undefined, advanced: boolean, filtered: boolean): { property: string; desc: boolean } {
  if (orderby === undefined) return { property: 'userPrincipalName', desc: false };
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
  const property = m ? Object.keys(SORTABLE).find((p) => p.toLowerCase() === m[1]!.toLowerCase()) : undefined;
  if (!m || !property) return unsupported(`Unsupported sort property '${orderby.trim().slice(0, 100)}' for 'User': sort by displayName or userPrincipalName (createdDateTime in an advanced query), one property, asc or desc.`);
  if ((SORTABLE[property] || filtered) && !advanced) return unsupported(`Sorting not supported for current query. ${ADVANCED}`);
  return { property, desc: m[2]?.toLowerCase() === 'desc' };
}

/**
 * `GET /users` as Graph's directory answers it: `$filter` (one grammar with the audit logs; `ne`, `not` and
 * `endsWith` only in an advanced query: `ConsistencyLevel: eventual` and `$count=true`), `$search` (needs the
 * header), `$orderby`, `$count` (`@odata.count` only with the header, otherwise ignored), `$expand=memberOf`,
 * `$top` and pages linked by `@odata.nextLink` with a `$skiptoken` (Graph refuses `$skip` on users).
 */
export async function listUsers(input: OperationInput): Promise<OperationResult> {
  authorize(input.caller, 'user.read');
  requireCapability(input.deps, 'list', 'users');
  const q = input.query;
  const eventual = input.ctx.get('ConsistencyLevel').toLowerCase() === 'eventual';
  const advanced = eventual && q.$count === 'true';
  if (q.$skip !== undefined) throw new BadRequestError("'$skip' is not supported by the service.", undefined, 'Request_BadRequest');
  if (q.$search !== undefined && !eventual) unsupported("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  const expand = expandMemberOf(q.$expand);
  const filter = q.$filter?.trim()
    ? compileFilter(parseFilter(q.$filter), userFilterFields, {
        advancedOperator(operator, property) {
          if (!advanced) unsupported(`Operator '${operator}' is not supported because the required parameters might be missing. ${ADVANCED}`);
          if (operator === 'endsWith' && !ENDS_WITH.has(property ?? '')) unsupported(`Unsupported or invalid query filter clause specified for property '${property}' of resource 'User'.`);
        },
      })
    : undefined;
  const search = q.$search !== undefined ? parseUserSearch(q.$search) : undefined;
  const order = orderOf(q.$orderby, advanced, filter !== undefined);
  const top = q.$top ? Number(q.$top) : 100;

  // Ties on the sort property are broken by the user principal name, which is unique, so that pages never overlap.
  const keyOf = (u: Record<string, unknown>) => `${String(u[order.property] ?? '').toLowerCase()}\u0001${String(u.userPrincipalName).toLowerCase()}`;
  const all = (await input.deps.directory.list())
    .map((u): [User, Record<string, unknown>] => [u, toGraphUser(u)])
    .filter(([, g]) => (!filter || filter.test(g)) && (!search || search(g)))
    .map(([u, g]) => ({ u, g, key: keyOf(g) }))
    .sort((a, b) => (a.key === b.key ? 0 : (a.key < b.key) !== order.desc ? -1 : 1));
  let rest = all;
  if (q.$skiptoken) {
    let after: unknown;
    try {
      after = JSON.parse(Buffer.from(q.$skiptoken, 'base64url').toString('utf8'));
    } catch {
      after = undefined;
    }
    if (typeof after !== 'string' || after.length > 1000) throw new BadRequestError('$skiptoken is not one this API issued.', undefined, 'Request_BadRequest');
    rest = all.filter((x) => (order.desc ? x.key < after : x.key > after));
  }
  const page = rest.slice(0, top);
  const body: Record<string, unknown> = {};
  if (advanced) body['@odata.count'] = all.length;
  body.value = page.map((x) => (expand ? { ...x.g, memberOf: expand(x.u) } : x.g));
  if (rest.length > top) {
    const token = Buffer.from(JSON.stringify(page.at(-1)!.key)).toString('base64url');
    const options = Object.entries(q)
      .filter(([k]) => k !== '$skiptoken' && k !== '$top')
      .map(([k, v]) => `&${k}=${encodeURIComponent(v)}`)
      .join('');
    body['@odata.nextLink'] = `${input.deps.issuer}/v1.0/users?$top=${top}${options}&$skiptoken=${token}`;
  }
  return { status: 200, body };
}
