import type { FilterFields } from '../odata/FilterFields.js';

/** What `$filter` understands on users: the properties of toGraphUser that Graph filters on. */
export const userFilterFields: FilterFields = {
  resource: 'User',
  scalars: {
    id: 'string',
    userPrincipalName: 'string',
    displayName: 'string',
    givenName: 'string',
    surname: 'string',
    mail: 'string',
    jobTitle: 'string',
    department: 'string',
    employeeId: 'string',
    accountEnabled: 'boolean',
    userType: 'string',
    createdDateTime: 'datetime',
  },
  collections: {},
};
