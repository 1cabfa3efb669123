import type { Operation } from './Operation.js';
import { auditOperations } from './operations/auditOperations.js';
import { methodOperations } from './operations/methodOperations.js';
import { policyOperations } from './operations/policyOperations.js';
import { tapOperations } from './operations/tapOperations.js';
import { userOperations } from './operations/userOperations.js';

const SELECT = { type: 'string' as const, maxLength: 1000, description: 'Comma-separated properties to return (and the @odata annotations).' };

/**
 * Every operation of the admin API, in the order the OpenAPI document lists them. Every read takes `$select`
 * (applied by the router to whatever the handler answers).
 */
export const graphOperations: Operation[] = [...userOperations, ...tapOperations, ...methodOperations, ...policyOperations, ...auditOperations].map((op) =>
  op.method === 'get' ? { ...op, query: { ...op.query, $select: SELECT } } : op,
);
