import { AuditActivity } from '../audit/AuditActivity.js';
import type { AuditMethod, DirectoryAuditInput, SignInAuditInput } from '../audit/AuditEntry.js';
import type { SecurityEvent } from './SecurityEvent.js';

/** The method a write concerns: as the writer said, else as its reason reads. */
function methodOf(input: DirectoryAuditInput): AuditMethod | undefined {
  if (input.method) return input.method;
  const reason = input.resultReason ?? '';
  if (/temporary access pass/i.test(reason)) return { type: 'temporaryAccessPass' };
  if (/passkey|fido2/i.test(reason)) return { type: 'passkey' };
  return undefined;
}

/**
 * Which audit records are security events: TAP and passkey registrations and deletions, a TAP's approval (the
 * two-person rule), the lockout of a TAP, and a successful TAP sign-in. Everything else (renames, policy, failed sign-ins) is not.
 */
export const securityEventFromAudit = {
  directory(input: DirectoryAuditInput, atMs: number): SecurityEvent | undefined {
    const target = input.targets.find((t) => t.type === 'User');
    const method = methodOf(input);
    if (input.result !== 'success' || !target || !method) return undefined;
    const initiator =
      input.actor.type === 'system' ? 'system' : input.actor.type === 'user' && input.actor.id === target.id ? 'user' : 'admin';
    const common = {
      userId: target.id,
      atMs,
      initiator,
      ...(method.id ? { credentialId: method.id } : {}),
      ...(input.resultReason ? { reason: input.resultReason } : {}),
    } as const;
    const a = input.activity;
    if (a === AuditActivity.tapLockedOut) return { ...common, type: 'tap-locked-out', initiator: 'system' };
    if (input.resultReason === AuditActivity.reasons.adminApprovedTap) return { ...common, type: 'tap-approved' };
    const added = a === AuditActivity.adminRegistered || a === AuditActivity.userRegistered;
    const removed = a === AuditActivity.adminDeleted || a === AuditActivity.userDeleted;
    if (!added && !removed) return undefined;
    if (method.type === 'temporaryAccessPass') return { ...common, type: added ? 'tap-issued' : 'tap-deleted' };
    return {
      ...common,
      type: added ? 'passkey-added' : 'passkey-removed',
      ...(method.aaguid ? { aaguid: method.aaguid } : {}),
      ...(method.platform !== undefined ? { platform: method.platform } : {}),
    };
  },

  signIn(input: SignInAuditInput, atMs: number): SecurityEvent | undefined {
    if (input.method !== 'tap' || input.result !== 'success' || !input.userId) return undefined;
    return {
      type: 'tap-used',
      userId: input.userId,
      atMs,
      initiator: 'user',
      ...(input.credentialId ? { credentialId: input.credentialId } : {}),
      ...(input.clientId ? { clientId: input.clientId } : {}),
    };
  },
};
