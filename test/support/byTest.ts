import type { AuditContext } from '../../src/audit/AuditContext.js';

/** Who writes in a test that calls a service directly, as the audit log records it. */
export const byTest: AuditContext = { actor: { type: 'system', id: 'test' } };
