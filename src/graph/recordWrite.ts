import type { AuditActor, AuditTarget } from '../audit/AuditEntry.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { OperationInput } from './Operation.js';

/** The caller as an audit actor. */
export function auditActor(input: OperationInput): AuditActor {
  const c = input.caller;
  return c.kind === 'app' ? { type: 'app', id: c.clientId, displayName: c.displayName } : auditRecords.actorOf(c.user);
}

/** Record a successful write of the admin API in the audit log (behaviour.md's activity names). */
export async function recordWrite(
  input: OperationInput,
  activity: string,
  category: string,
  targets: AuditTarget[],
  resultReason?: string,
): Promise<void> {
  await input.deps.audit.recordDirectory({
    activity,
    category,
    result: 'success',
    ...(resultReason ? { resultReason } : {}),
    actor: auditActor(input),
    targets,
    ip: input.ctx.ip,
  });
}
