import type { Operation } from './Operation.js';
import { auditOperations } from './operations/auditOperations.js';
import { methodOperations } from './operations/methodOperations.js';
import { policyOperations } from './operations/policyOperations.js';
import { tapOperations } from './operations/tapOperations.js';
import { userOperations } from './operations/userOperations.js';

/** Every operation of the admin API, in the order the OpenAPI document lists them. */
export const graphOperations: Operation[] = [...userOperations, ...tapOperations, ...methodOperations, ...policyOperations, ...auditOperations];
