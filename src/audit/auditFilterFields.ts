import type { FilterFields } from '../odata/FilterFields.js';

/** What `$filter` understands on each log: the properties Graph filters on that this product fills in. */
export const auditFilterFields: Record<'directoryAudits' | 'signIns', FilterFields & { time: string }> = {
  directoryAudits: {
    resource: 'directoryAudit',
    time: 'activityDateTime',
    scalars: {
      id: 'string',
      category: 'string',
      correlationId: 'string',
      result: 'string',
      resultReason: 'string',
      activityDisplayName: 'string',
      activityDateTime: 'datetime',
      loggedByService: 'string',
      operationType: 'string',
      'initiatedBy/user/id': 'string',
      'initiatedBy/user/userPrincipalName': 'string',
      'initiatedBy/user/ipAddress': 'string',
      'initiatedBy/app/appId': 'string',
      'initiatedBy/app/displayName': 'string',
      'initiatedBy/app/servicePrincipalName': 'string',
    },
    collections: {
      targetResources: { id: 'string', displayName: 'string', type: 'string', userPrincipalName: 'string' },
    },
  },
  signIns: {
    resource: 'signIn',
    time: 'createdDateTime',
    scalars: {
      id: 'string',
      createdDateTime: 'datetime',
      userDisplayName: 'string',
      userPrincipalName: 'string',
      userId: 'string',
      appId: 'string',
      ipAddress: 'string',
      clientAppUsed: 'string',
      correlationId: 'string',
      'status/errorCode': 'number',
      'status/failureReason': 'string',
    },
    collections: {
      authenticationMethodsUsed: 'string',
    },
  },
};
