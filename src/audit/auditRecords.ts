import type { AuditActor, AuditMethod, AuditTarget, DirectoryAuditInput } from './AuditEntry.js';
import { AuditActivity as A } from './AuditActivity.js';
import type { AuditContext } from './AuditContext.js';

/** What a record names of a user (a directory `User` is one); the audit log sits below the directory. */
export interface AuditedUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}
type User = AuditedUser;
/** What a record names of a passkey (a stored `Passkey` is one). */
interface Passkey {
  id: string;
  aaguid: string;
  transports: readonly string[];
}

const target = (u: User): AuditTarget => ({ type: 'User', id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName });
const self = (u: User): AuditActor => ({ type: 'user', id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName });
const passkeyMethod = (p: Passkey): AuditMethod => ({ type: 'passkey', id: p.id, aaguid: p.aaguid, platform: p.transports.includes('internal') });
const tapMethod = (id: string): AuditMethod => ({ type: 'temporaryAccessPass', id });

const POLICY_TARGET: AuditTarget[] = [{ type: 'Policy', id: 'TemporaryAccessPass', displayName: 'Temporary Access Pass' }];

/** A write of the admin API's kind: no method, no reason. */
function change(activity: string, category: string, targets: AuditTarget[], c: AuditContext): DirectoryAuditInput {
  return { activity, category, result: 'success', actor: c.actor, targets, ...(c.ip ? { ip: c.ip } : {}) };
}

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
  adminApprovedTap: (actor: AuditActor, user: User, tapId: string, ip?: string) =>
    write(A.adminUpdated, A.reasons.adminApprovedTap, actor, user, tapMethod(tapId), ip),
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
  /** A TAP deleted, by its user or by an administrator (or the system, with `c.reason`). */
  tapDeleted: (c: AuditContext, user: User, tapId: string) =>
    c.self ? auditRecords.userDeletedTap(user, tapId, c.ip) : auditRecords.adminDeletedTap(c.actor, user, tapId, c.ip, c.reason),
  /** A passkey deleted, by its user or by an administrator. */
  passkeyDeleted: (c: AuditContext, user: User, passkey: Passkey) =>
    c.self ? auditRecords.userDeletedPasskey(user, passkey, c.ip) : auditRecords.adminDeletedPasskey(c.actor, user, passkey, c.ip),
  userAdded: (c: AuditContext, user: User) => change(A.addUser, 'UserManagement', [target(user)], c),
  userUpdated: (c: AuditContext, user: User) => change(A.updateUser, 'UserManagement', [target(user)], c),
  userDeleted: (c: AuditContext, user: User) => change(A.deleteUser, 'UserManagement', [target(user)], c),
  sessionsRevoked: (c: AuditContext, user: User) => change(A.revokeSessions, 'UserManagement', [target(user)], c),
  /** The system told `clientId` that the user's session ended; `detail` is the receiver's answer (no token). */
  backchannelLogout: (userId: string, clientId: string, result: 'success' | 'failure', detail: string): DirectoryAuditInput => ({
    activity: A.backchannelLogout,
    category: 'UserManagement',
    result,
    resultReason: `Logout token for application ${clientId}: ${detail}`,
    actor: { type: 'system', id: 'oidc-tap' },
    targets: [{ type: 'User', id: userId }],
  }),
  /** The system ended what a TAP signed in when the TAP ran out. */
  tapExpired: (user: User, tapId: string) => write(A.tapExpired, A.reasons.tapExpired, { type: 'system', id: 'oidc-tap' }, user, tapMethod(tapId), undefined),
  policyUpdated: (c: AuditContext) => change(A.policyUpdated, 'Policy', POLICY_TARGET, c),
  policyReset: (c: AuditContext) => change(A.policyReset, 'Policy', POLICY_TARGET, c),
  /** The context of a user changing their own security info. */
  selfContext: (user: User, ip?: string): AuditContext => ({ actor: self(user), ...(ip ? { ip } : {}), self: true }),
  /** The system locked the TAP in answer to an attempt from `ip`; nobody signed in, so the actor is the system. */
  tapLockedOut: (user: User, tapId: string, ip?: string) =>
    write(A.tapLockedOut, A.reasons.tapLockedOut, { type: 'system', id: 'oidc-tap' }, user, tapMethod(tapId), ip),
};
