import { BadRequestError } from '../../errors.js';
import { authorize } from '../authorize.js';
import { createUser } from '../createUser.js';
import { deleteUser } from '../deleteUser.js';
import { updateUser } from '../updateUser.js';
import type { UserFields } from '../UserFields.js';
import { authorizedUser } from '../authorizedUser.js';
import type { Operation } from '../Operation.js';
import { parseUserFilter } from '../parseUserFilter.js';
import { auditContext } from '../auditContext.js';
import { requireCapability } from '../requireCapability.js';
import { toGraphUser } from '../toGraphUser.js';
import { err, ref } from './refs.js';



/** Users: HR provisioning creates them; admins read, update and delete them. */
export const userOperations: Operation[] = [
  {
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    summary: 'Create a user (HR provisioning).',
    access: 'Application: User.ReadWrite.All. Delegated: GlobalAdministrator. Giving roles: a delegated GlobalAdministrator only.',
    body: ref('UserCreate'),
    responses: {
      201: { description: 'Created', schema: ref('User') },
      400: err('Invalid body'),
      401: err('No valid token'),
      403: err('Not allowed'),
      405: err("The deployment's user directory cannot create users (a host's read-only directory)"),
      409: err('The user principal name is taken'),
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
    summary: 'List users, ordered by user principal name.',
    access: 'Application: User.ReadWrite.All or a UserAuthMethod-TAP permission. Delegated: any administrator but AuthenticationPolicyAdministrator.',
    query: {
      $top: { type: 'integer', minimum: 1, maximum: 999, description: 'Page size, default 100.' },
      $filter: { type: 'string', maxLength: 1000, description: "userPrincipalName or displayName: eq 'v', or startswith(field,'v'); joined by and." },
      $skiptoken: { type: 'string', maxLength: 2000, description: 'From @odata.nextLink.' },
    },
    responses: {
      200: { description: 'A page of users', schema: ref('UserCollection') },
      400: err('Bad query'),
      401: err('No valid token'),
      403: err('Not allowed'),
      405: err("The deployment's user directory cannot list users (a host's directory with lookups only)"),
    },
    async handler(input) {
      authorize(input.caller, 'user.read');
      requireCapability(input.deps, 'list', 'users');
      const top = input.query.$top ? Number(input.query.$top) : 100;
      const matches = parseUserFilter(input.query.$filter);
      let after = '';
      if (input.query.$skiptoken) {
        after = Buffer.from(input.query.$skiptoken, 'base64url').toString('utf8');
        if (!after || after.length > 320) throw new BadRequestError('$skiptoken is not one this API issued.');
      }
      const all = (await input.deps.directory.list())
        .filter(matches)
        .sort((a, b) => (a.userPrincipalName.toLowerCase() < b.userPrincipalName.toLowerCase() ? -1 : 1))
        .filter((u) => u.userPrincipalName.toLowerCase() > after);
      const page = all.slice(0, top);
      const body: Record<string, unknown> = { '@odata.context': `${input.deps.issuer}/v1.0/$metadata#users`, value: page.map(toGraphUser) };
      if (all.length > top) {
        const skip = Buffer.from(page.at(-1)!.userPrincipalName.toLowerCase()).toString('base64url');
        const filter = input.query.$filter ? `&$filter=${encodeURIComponent(input.query.$filter)}` : '';
        body['@odata.nextLink'] = `${input.deps.issuer}/v1.0/users?$top=${top}&$skiptoken=${skip}${filter}`;
      }
      return { status: 200, body };
    },
  },
  {
    method: 'get',
    path: '/users/{user}',
    operationId: 'getUser',
    summary: 'Get a user by id or user principal name.',
    access: 'As listUsers.',
    responses: { 200: { description: 'The user', schema: ref('User') }, 401: err('No valid token'), 403: err('Not allowed'), 404: err('No such user') },
    async handler(input) {
      return { status: 200, body: toGraphUser(await authorizedUser(input, 'user.read')) };
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
      400: err('Invalid body'),
      401: err('No valid token'),
      403: err('Not allowed'),
      404: err('No such user'),
      405: err("The deployment's user directory cannot change users (a host's read-only directory)"),
      409: err('The new user principal name is taken'),
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
