import type { Users } from '../directory/Users.js';
import type { User } from '../directory/User.js';
import type { MethodFailure, MethodSuccess } from '../methods/AuthMethod.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { auditRecords } from '../audit/auditRecords.js';

export interface SignInOutcome {
  /** The method's name (`tap`, `passkey`, `password`, `federation`). */
  method: string;
  /** The identifier as typed; empty for a username-less passkey. */
  username: string;
  /** The user the identifier named, if any. */
  user: User | undefined;
  result: MethodSuccess | MethodFailure;
  /** The relying party's client id (`d.params.client_id`). */
  clientId: unknown;
  /** The caller's address (`ctx.ip`, which follows TRUST_PROXY). */
  ip: string;
}

/**
 * Record one attempt of a sign-in step in the sign-ins log; the attempt that locks a TAP is also a directory
 * audit record of its own (`Temporary Access Pass locked out`). The typed identifier is recorded as Entra does,
 * also for an unknown account; what was typed as a secret never is.
 */
export async function recordSignInOutcome(audit: AuditLog | undefined, directory: Users, o: SignInOutcome): Promise<void> {
  if (!audit) return;
  const { result } = o;
  const user = o.user ?? (result.ok ? await directory.findById(result.accountId) : undefined);
  // The TAP or the passkey, so that an administrator sees which one signed in (or was tried).
  const credentialId = result.ok ? (result.tapId ?? result.passkeyId) : result.credentialId;
  const passkey = result.ok ? result.passkey : undefined;
  await audit.recordSignIn({
    ...(user ? { userId: user.id, userDisplayName: user.displayName } : {}),
    userPrincipalName: user?.userPrincipalName ?? o.username,
    ...(typeof o.clientId === 'string' ? { clientId: o.clientId } : {}),
    method: o.method,
    result: result.ok ? 'success' : 'failure',
    ...(result.ok ? {} : { reason: result.reason ?? (result.status === 429 ? 'Throttled' : 'InvalidCredentials') }),
    ip: o.ip,
    ...(credentialId ? { credentialId } : {}),
    ...(passkey ? { credentialAaguid: passkey.aaguid, credentialName: passkey.name } : {}),
  });
  if (!result.ok && result.lockedNow && user) await audit.recordDirectory(auditRecords.tapLockedOut(user, result.credentialId ?? '', o.ip));
}
