import type { DirectoryAuditInput, SignInAuditInput } from './AuditEntry.js';
import type { AuditListener } from './AuditListener.js';

/** A page of records in Graph's shapes, newest first. */
export interface AuditPage<T> {
  value: T[];
  /** Opaque token for the next page, when there is one. */
  nextSkipToken?: string;
}

/** Query of `GET /v1.0/auditLogs/...`: `$top`, `$filter` (OData subset), `$skiptoken`. */
export interface AuditQuery {
  top?: number;
  filter?: string;
  skipToken?: string;
}

/**
 * Every write and every sign-in outcome, as records in Redis streams with bounded retention, read back in
 * Microsoft Graph's directoryAudit and signIn shapes (RedisAuditLog). Records never hold a passcode.
 */
export interface AuditLog {
  recordDirectory(input: DirectoryAuditInput): Promise<void>;
  recordSignIn(input: SignInAuditInput): Promise<void>;
  /** Throws BadRequestError for a `$filter` it does not understand. */
  queryDirectory(q: AuditQuery): Promise<AuditPage<Record<string, unknown>>>;
  querySignIns(q: AuditQuery): Promise<AuditPage<Record<string, unknown>>>;
  /** Be told of every record once it is stored (security events, metrics). */
  subscribe(listener: AuditListener): void;
}
