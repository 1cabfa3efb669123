import { randomUUID } from 'node:crypto';
import type { DirectoryAuditInput } from './AuditEntry.js';

/** Graph's `operationType` from the activity's verb. */
function operationType(activity: string): string {
  if (/\b(registered|created|added)\b/i.test(activity)) return 'Add';
  if (/\b(deleted|removed)\b/i.test(activity)) return 'Delete';
  return 'Update';
}

/** A write in Microsoft Graph's `directoryAudit` shape, as stored and returned. */
export function toDirectoryAudit(input: DirectoryAuditInput, atMs: number): Record<string, unknown> {
  const { actor } = input;
  const details: { key: string; value: string }[] = [];
  if (input.method) {
    details.push({ key: 'methodType', value: input.method.type });
    if (input.method.id) details.push({ key: 'methodId', value: input.method.id });
    if (input.method.aaguid) details.push({ key: 'aaguid', value: input.method.aaguid });
  }
  // Graph's app identity has no address; the source address is kept with the record anyway.
  if (actor.type !== 'user' && input.ip) details.push({ key: 'ipAddress', value: input.ip });
  if (actor.type === 'system') details.push({ key: 'initiatedBySystem', value: actor.id });
  return {
    id: randomUUID(),
    category: input.category,
    correlationId: input.correlationId ?? randomUUID(),
    result: input.result,
    resultReason: input.resultReason ?? '',
    activityDisplayName: input.activity,
    activityDateTime: new Date(atMs).toISOString(),
    loggedByService: 'oidc-tap',
    operationType: operationType(input.activity),
    initiatedBy:
      actor.type === 'user'
        ? { user: { id: actor.id, displayName: actor.displayName ?? null, userPrincipalName: actor.userPrincipalName ?? null, ipAddress: input.ip ?? null }, app: null }
        : {
            user: null,
            // Graph's servicePrincipalName is the application's name in the tenant: here its client_name (or id).
            app: { appId: actor.type === 'app' ? actor.id : null, displayName: actor.displayName ?? actor.id, servicePrincipalId: null, servicePrincipalName: actor.displayName ?? actor.id },
          },
    targetResources: input.targets.map((t) => ({
      id: t.id,
      displayName: t.displayName ?? null,
      type: t.type,
      userPrincipalName: t.userPrincipalName ?? null,
      modifiedProperties: [],
    })),
    additionalDetails: details,
  };
}
