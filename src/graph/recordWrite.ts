import type { AuditActor, AuditTarget, DirectoryAuditInput } from '../audit/AuditEntry.js';
import type { User } from '../directory/User.js';
import type { OperationInput } from './Operation.js';

/** The caller as an audit actor. */
export function auditActor(input: OperationInput): AuditActor {
  const c = input.caller;
  return c.kind === 'app'
    ? { type: 'app', id: c.clientId, displayName: c.displayName }
    : { type: 'user', id: c.user.id, displayName: c.user.displayName, userPrincipalName: c.user.userPrincipalName };
}

export const userTarget = (u: User): AuditTarget => ({ type: 'User', id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName });

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

/** Record a TAP or passkey write built by `auditRecords` (so security events know the method). */
export async function recordMethodWrite(input: OperationInput, record: DirectoryAuditInput): Promise<void> {
  await input.deps.audit.recordDirectory(record);
}
