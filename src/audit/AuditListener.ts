import type { DirectoryAuditInput, SignInAuditInput } from './AuditEntry.js';

/** Told of every record once it is stored (the security events subscribe). Must not throw or block. */
export interface AuditListener {
  directory?(input: DirectoryAuditInput, record: Record<string, unknown>): void;
  signIn?(input: SignInAuditInput, record: Record<string, unknown>): void;
}
