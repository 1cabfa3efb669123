import { authorize } from '../authorize.js';
import { createUser } from '../createUser.js';
import { deleteUser } from '../deleteUser.js';
import { updateUser } from '../updateUser.js';
import type { UserFields } from '../UserFields.js';
import { authorizedUser } from '../authorizedUser.js';
import type { Operation } from '../Operation.js';
import { expandMemberOf } from '../expandMemberOf.js';
import { listUsers } from '../listUsers.js';
import { auditContext } from '../auditContext.js';
import { requireCapability } from '../requireCapability.js';
import { toGraphUser } from '../toGraphUser.js';
import { toMemberOf } from '../toMemberOf.js';
import { err, ref } from './refs.js';

/** Users: HR provisioning creates them; admins read, update and delete them. */
export const userOperations: Operation[] = [
  {
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    context: "users/$entity",
    summary: 'Create a user (HR provisioning).',
    access: 'Application: User.ReadWrite.All. Delegated: GlobalAdministrator. Giving roles: a delegated GlobalAdministrator only.',
    body: ref('UserCreate'),
    responses: {
      201: { description: 'Created', schema: ref('User') },
      400: err('Invalid body, or the user principal name is taken (Request_BadRequest, as in Graph)'),
      401: err('No valid token'),
      403: err('Not allowed'),
      405: err("The deployment's user directory cannot create users (a host's read-only directory)"),
      413: err('Body too large'),
      415: err('Not JSON'),
    },
    async handler(input) {
      authorize(input.caller, 'user.write');
      requireCapability(input.deps, 'create', 'users');
      const user = await createUser(input.deps, input.caller, input.body as UserFields & { userPrincipalName: string; displayName: string }, auditContext(input));
      input.ctx.set('Location', `${input.deps.issuer}/v1.0/users/${user.id}`);
      return { status: 201, body: toGraphUser(user) };
    },
  },
  {
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    summary: 'List users, by user principal name unless $orderby says otherwise.',
    access: 'Application: User.ReadWrite.All or a UserAuthMethod-TAP permission. Delegated: any administrator but AuthenticationPolicyAdministrator.',
    context: 'users',
    query: {
      $top: { type: 'integer', minimum: 1, maximum: 999, description: 'Page size, default 100.' },
      $filter: {
        type: 'string',
        maxLength: 2000,
        description:
          'eq, in, startswith() on id, userPrincipalName, displayName, givenName, surname, mail, jobTitle, department, employeeId, userType, accountEnabled, createdDateTime; and, or, parentheses. ne, not and endswith() (on mail and userPrincipalName) need an advanced query: ConsistencyLevel: eventual and $count=true.',
      },
      $orderby: { type: 'string', maxLength: 100, description: 'displayName or userPrincipalName, asc or desc; createdDateTime, or together with $filter, in an advanced query.' },
      $count: { type: 'string', enum: ['true', 'false'], description: 'With ConsistencyLevel: eventual, @odata.count gives the number of matches; without the header it is ignored, as in Graph.' },
      $search: {
        type: 'string',
        maxLength: 1000,
        description: '"property:words" clauses joined by AND or OR, on displayName, givenName, surname, mail, userPrincipalName, jobTitle, department. Needs ConsistencyLevel: eventual.',
      },
      $expand: { type: 'string', maxLength: 100, description: 'memberOf.' },
      $skip: { type: 'integer', description: 'Refused, as in Graph (Request_BadRequest); page with @odata.nextLink.' },
      $skiptoken: { type: 'string', maxLength: 2000, description: 'From @odata.nextLink.' },
    },
    responses: {
      200: { description: 'A page of users', schema: ref('UserCollection') },
      400: err('Bad query'),
      401: err('No valid token'),
      403: err('Not allowed'),
      405: err("The deployment's user directory cannot list users (a host's directory with lookups only)"),
    },
    handler: listUsers,
  },
  {
    method: 'get',
    path: '/users/{user}',
    operationId: 'getUser',
    summary: 'Get a user by id or user principal name.',
    access: 'As listUsers.',
    context: 'users/$entity',
    query: { $expand: { type: 'string', maxLength: 100, description: 'memberOf.' } },
    responses: { 200: { description: 'The user', schema: ref('User') }, 400: err('Bad query'), 401: err('No valid token'), 403: err('Not allowed'), 404: err('No such user') },
    async handler(input) {
      const expand = expandMemberOf(input.query.$expand);
      const user = await authorizedUser(input, 'user.read');
      return { status: 200, body: { ...toGraphUser(user), ...(expand ? { memberOf: expand(user) } : {}) } };
    },
  },
  {
    method: 'get',
    path: '/users/{user}/memberOf',
    operationId: 'listUserMemberOf',
    summary: 'The directory roles and groups a user holds, as #microsoft.graph.directoryRole and #microsoft.graph.group objects.',
    access: 'As listUsers.',
    context: 'directoryObjects',
    query: { $count: { type: 'string', enum: ['true', 'false'], description: 'With ConsistencyLevel: eventual, @odata.count.' } },
    responses: {
      200: { description: 'Roles and groups', schema: ref('DirectoryObjectCollection') },
      400: err('Bad query'),
      401: err('No valid token'),
      403: err('Not allowed'),
      404: err('No such user'),
    },
    async handler(input) {
      const value = toMemberOf(await authorizedUser(input, 'user.read'));
      const count = input.query.$count === 'true' && input.ctx.get('ConsistencyLevel').toLowerCase() === 'eventual';
      return { status: 200, body: { ...(count ? { '@odata.count': value.length } : {}), value } };
    },
  },
  {
    method: 'patch',
    path: '/users/{user}',
    operationId: 'updateUser',
    summary: 'Update a user.',
    access: 'Application: User.ReadWrite.All. Delegated: GlobalAdministrator. Roles, and users who hold one: a delegated GlobalAdministrator only.',
    body: ref('UserUpdate'),
    responses: {
      204: { description: 'Updated' },
      400: err('Invalid body, or the new user principal name is taken'),
      401: err('No valid token'),
      403: err('Not allowed'),
      404: err('No such user'),
      405: err("The deployment's user directory cannot change users (a host's read-only directory)"),
      413: err('Body too large'),
      415: err('Not JSON'),
    },
    async handler(input) {
      authorize(input.caller, 'user.write');
      requireCapability(input.deps, 'update', 'user');
      await updateUser(input.deps, input.caller, input.params.user!, input.body as UserFields, auditContext(input));
      return { status: 204 };
    },
  },
  {
    method: 'delete',
    path: '/users/{user}',
    operationId: 'deleteUser',
    summary: 'Delete a user, ending every session, grant and token of theirs, their TAP and passkeys.',
    access: 'Application: User.ReadWrite.All. Delegated: GlobalAdministrator (not themselves). An administrator: a delegated GlobalAdministrator only.',
    responses: {
      204: { description: 'Deleted' },
      401: err('No valid token'),
      403: err('Not allowed'),
      404: err('No such user'),
      405: err("The deployment's user directory cannot delete users (a host's read-only directory)"),
    },
    async handler(input) {
      const user = await authorizedUser(input, 'user.write');
      requireCapability(input.deps, 'delete', 'user');
      await deleteUser(input.deps, input.caller, user, auditContext(input));
      return { status: 204 };
    },
  },
];
