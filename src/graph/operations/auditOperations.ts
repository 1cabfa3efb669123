import { BadRequestError } from '../../errors.js';
import { authorize } from '../authorize.js';
import type { Operation, OperationInput } from '../Operation.js';
import { err, ref } from './refs.js';

const QUERY = {
  $top: { type: 'integer' as const, minimum: 1, maximum: 999, description: 'Page size.' },
  $filter: { type: 'string' as const, maxLength: 1000, description: 'OData subset: activity, target, time.' },
  $skiptoken: { type: 'string' as const, maxLength: 200, description: 'From @odata.nextLink.' },
  $orderby: { type: 'string' as const, maxLength: 100, description: 'Only the log\'s own order, newest first: activityDateTime desc (directoryAudits), createdDateTime desc (signIns).' },
  $count: { type: 'string' as const, enum: ['true', 'false'], description: 'Accepted and ignored: no @odata.count on the logs.' },
};
const TIME = { directoryAudits: 'activityDateTime', signIns: 'createdDateTime' } as const;

async function page(input: OperationInput, which: 'directoryAudits' | 'signIns') {
  authorize(input.caller, 'audit.read');
  const orderby = input.query.$orderby;
  if (orderby !== undefined && !new RegExp(`^\\s*${TIME[which]}\\s+desc\\s*$`, 'i').test(orderby)) {
    throw new BadRequestError(`Invalid $orderby: the log is ordered by ${TIME[which]} desc, and only that order is supported.`);
  }
  const audit = input.deps.audit;
  const q = {
    ...(input.query.$top ? { top: Number(input.query.$top) } : {}),
    ...(input.query.$filter ? { filter: input.query.$filter } : {}),
    ...(input.query.$skiptoken ? { skipToken: input.query.$skiptoken } : {}),
  };
  const result = which === 'directoryAudits' ? await audit.queryDirectory(q) : await audit.querySignIns(q);
  const body: Record<string, unknown> = { value: result.value };
  if (result.nextSkipToken) {
    const top = input.query.$top ? `&$top=${input.query.$top}` : '';
    const options = ['$filter', '$orderby', '$select']
      .filter((k) => input.query[k] !== undefined)
      .map((k) => `&${k}=${encodeURIComponent(input.query[k]!)}`)
      .join('');
    body['@odata.nextLink'] = `${input.deps.issuer}/v1.0/auditLogs/${which}?$skiptoken=${encodeURIComponent(result.nextSkipToken)}${top}${options}`;
  }
  return { status: 200, body };
}

/** The audit log, newest first. */
export const auditOperations: Operation[] = [
  {
    method: 'get',
    path: '/auditLogs/directoryAudits',
    operationId: 'listDirectoryAudits',
    context: "auditLogs/directoryAudits",
    summary: 'Every write: TAP issued and deleted, policy changes, users, passkeys.',
    access: 'Application: AuditLog.Read.All. Delegated: GlobalAdministrator, GlobalReader.',
    query: QUERY,
    responses: { 200: { description: 'A page of records', schema: ref('DirectoryAuditCollection') }, 400: err('Bad query'), 401: err('No valid token'), 403: err('Not allowed') },
    handler: (input) => page(input, 'directoryAudits'),
  },
  {
    method: 'get',
    path: '/auditLogs/signIns',
    operationId: 'listSignIns',
    context: "auditLogs/signIns",
    summary: 'Every sign-in outcome, with the reason of a failure.',
    access: 'As listDirectoryAudits.',
    query: QUERY,
    responses: { 200: { description: 'A page of records', schema: ref('SignInCollection') }, 400: err('Bad query'), 401: err('No valid token'), 403: err('Not allowed') },
    handler: (input) => page(input, 'signIns'),
  },
];
