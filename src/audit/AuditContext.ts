import type { AuditActor } from './AuditEntry.js';

/**
 * Who makes a write and from where, handed by the caller to the service that writes, which records it. The same
 * write is recorded the same way whether the admin API, the security-info page, the flow or the CLI made it.
 */
export interface AuditContext {
  /** An administrator or application (`auditRecords.actorOf`), or the system (`{ type: 'system', id: 'cli' }`). */
  actor: AuditActor;
  /** The request's source address, when there is a request. */
  ip?: string;
  /** The record's reason instead of the activity's usual one (a TAP deleted once its passkey signed in). */
  reason?: string;
  /** A user changing their own security info (`User … security info`); else an administrator's (`Admin …`). */
  self?: boolean;
}
