import type { User } from '../directory/User.js';
import type { Passkey } from '../passkeys/Passkey.js';
import type { AuditActor, AuditMethod, AuditTarget, DirectoryAuditInput } from './AuditEntry.js';
import { AuditActivity as A } from './AuditActivity.js';

const target = (u: User): AuditTarget => ({ type: 'User', id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName });
const self = (u: User): AuditActor => ({ type: 'user', id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName });
const passkeyMethod = (p: Passkey): AuditMethod => ({ type: 'passkey', id: p.id, aaguid: p.aaguid, platform: p.transports.includes('internal') });
const tapMethod = (id: string): AuditMethod => ({ type: 'temporaryAccessPass', id });

function write(
  activity: string,
  resultReason: string,
  actor: AuditActor,
  user: User,
  method: AuditMethod,
  ip: string | undefined,
): DirectoryAuditInput {
  return { activity, category: 'UserManagement', result: 'success', resultReason, actor, targets: [target(user)], method, ...(ip ? { ip } : {}) };
}

/**
 * The directory audit records of TAP and passkey writes, built one way wherever the write happens. `actor` is
 * who did it: a signed-in user (an admin, or a user for themselves) is `auditRecords.actorOf(user)`; the CLI is `{ type: 'system', id: 'cli' }`.
 */
export const auditRecords = {
  actorOf: self,
  targetOf: target,
  adminRegisteredTap: (actor: AuditActor, user: User, tapId: string, ip?: string) =>
    write(A.adminRegistered, A.reasons.adminRegisteredTap, actor, user, tapMethod(tapId), ip),
  adminDeletedTap: (actor: AuditActor, user: User, tapId: string, ip?: string, reason: string = A.reasons.adminDeletedTap) =>
    write(A.adminDeleted, reason, actor, user, tapMethod(tapId), ip),
  adminUnlockedTap: (actor: AuditActor, user: User, tapId: string, ip?: string) =>
    write(A.adminUpdated, A.reasons.adminUnlockedTap, actor, user, tapMethod(tapId), ip),
  adminDeletedPasskey: (actor: AuditActor, user: User, passkey: Passkey, ip?: string) =>
    write(A.adminDeleted, A.reasons.adminDeletedPasskey, actor, user, passkeyMethod(passkey), ip),
  userRegisteredPasskey: (user: User, passkey: Passkey, ip?: string) =>
    write(A.userRegistered, A.reasons.userRegisteredPasskey, self(user), user, passkeyMethod(passkey), ip),
  userRenamedPasskey: (user: User, passkey: Passkey, ip?: string) =>
    write(A.userUpdated, A.reasons.userRenamedPasskey, self(user), user, passkeyMethod(passkey), ip),
  userDeletedPasskey: (user: User, passkey: Passkey, ip?: string) =>
    write(A.userDeleted, A.reasons.userDeletedPasskey, self(user), user, passkeyMethod(passkey), ip),
  userDeletedTap: (user: User, tapId: string, ip?: string) =>
    write(A.userDeleted, A.reasons.userDeletedTap, self(user), user, tapMethod(tapId), ip),
  /** The system locked the TAP in answer to an attempt from `ip`; nobody signed in, so the actor is the system. */
  tapLockedOut: (user: User, tapId: string, ip?: string) =>
    write(A.tapLockedOut, A.reasons.tapLockedOut, { type: 'system', id: 'oidc-tap' }, user, tapMethod(tapId), ip),
};
