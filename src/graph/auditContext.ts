import type { AuditContext } from '../audit/AuditContext.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { OperationInput } from './Operation.js';

/** The caller of an admin API write as the services record it: who, and from which address. */
export function auditContext(input: OperationInput): AuditContext {
  const c = input.caller;
  const actor = c.kind === 'app' ? { type: 'app' as const, id: c.clientId, displayName: c.displayName } : auditRecords.actorOf(c.user);
  return { actor, ...(input.ctx.ip ? { ip: input.ctx.ip } : {}) };
}
