import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../directory/passwordHash.js';
import type { User } from '../../directory/User.js';
import { PROFILE_FIELDS } from '../../directory/PROFILE_FIELDS.js';
import type { UserProfile } from '../../directory/UserProfile.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../errors.js';
import { authorize } from '../authorize.js';
import { authorizedUser } from '../authorizedUser.js';
import type { Operation, OperationInput } from '../Operation.js';
import { expandMemberOf } from '../expandMemberOf.js';
import { listUsers } from '../listUsers.js';
import { auditContext } from '../auditContext.js';
import { requireCapability } from '../requireCapability.js';
import { resolveUser } from '../resolveUser.js';
import { toGraphUser } from '../toGraphUser.js';
import { toMemberOf } from '../toMemberOf.js';
import { err, ref } from './refs.js';

const UPN_TAKEN = 'Another object with the same value for property userPrincipalName already exists.';

interface UserFields extends Partial<Record<keyof UserProfile, string | null>> {
  accountEnabled?: boolean;
  userPrincipalName?: string;
  displayName?: string;
  userType?: 'Member' | 'Guest';
  guestOrigin?: 'internal' | 'external';
  roles?: User['roles'];
  groups?: string[];
  passwordProfile?: { password: string };
}

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
      const b = input.body as UserFields & { userPrincipalName: string; displayName: string };
      if (b.roles?.length) requireRoleAuthority(input, 'Creating a user with administrative roles');
      if (b.guestOrigin && (b.userType ?? 'Member') !== 'Guest') throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
      const id = randomUUID();
      if (!(await input.deps.directory.claimUpn(b.userPrincipalName, id))) {
        throw new BadRequestError(UPN_TAKEN, 'Request_BadRequest');
      }
      const user: User = {
        id,
        userPrincipalName: b.userPrincipalName,
        displayName: b.displayName,
        userType: b.userType ?? 'Member',
        ...(b.userType === 'Guest' ? { guestOrigin: b.guestOrigin ?? 'internal' } : {}),
        roles: [...new Set(b.roles ?? [])],
        groups: [...new Set(b.groups ?? [])],
        createdDateTime: new Date(input.deps.clock.now()).toISOString(),
        ...profileOf(b),
        ...(b.accountEnabled === false ? { accountEnabled: false } : {}),
        ...(b.passwordProfile ? { passwordHash: await hashPassword(b.passwordProfile.password) } : {}),
      };
      await input.deps.directory.create(user, auditContext(input));
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
      const b = input.body as UserFields;
      // Read, change, compare-and-set: when another update landed in between, this one is applied again on top.
      for (;;) {
        const done = await updatedUser(input, b);
        if (!done) continue;
        // Disabled: whatever the user is signed in to ends now (with logout tokens), as revokeSignInSessions ends it.
        if (done.previous.accountEnabled !== false && done.next.accountEnabled === false) await input.deps.revoker.revokeAccount(done.next.id);
        return { status: 204 };
      }
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
      if (input.caller.kind === 'user' && input.caller.user.id === user.id) throw new ForbiddenError('You cannot delete your own account.');
      if (user.roles.length) requireRoleAuthority(input, 'Deleting an administrator');
      const { deps } = input;
      const by = auditContext(input);
      await deps.revoker.revokeAccount(user.id);
      // Each credential's deletion is recorded (and so sent as a security event), then the user's.
      await deps.taps.delete(user, undefined, by).catch((e: unknown) => {
        if (!(e instanceof NotFoundError)) throw e;
      });
      for (const p of await deps.passkeys.list(user.id)) await deps.passkeys.delete(user, p, by);
      await deps.directory.delete(user, by);
      return { status: 204 };
    },
  },
];

/** The profile fields a request body sets (null clears a field, so it is left out of a new user). */
function profileOf(b: UserFields): UserProfile {
  return Object.fromEntries(PROFILE_FIELDS.filter((f) => typeof b[f] === 'string').map((f) => [f, b[f]]));
}

/**
 * Administrative roles are given, taken and their holders changed or deleted only by a signed-in Global
 * Administrator: an application with User.ReadWrite.All (an HR feed) must not be able to mint an administrator.
 */
function requireRoleAuthority(input: OperationInput, what: string): void {
  const c = input.caller;
  if (c.kind === 'user' && c.user.roles.includes('GlobalAdministrator')) return;
  throw new ForbiddenError(`${what} needs a Global Administrator signed in (a delegated token), not ${c.kind === 'app' ? 'an application' : 'your role'}.`);
}

/** One attempt at a user update: the record before and after, or undefined when the user changed meanwhile (try again). */
async function updatedUser(input: OperationInput, b: UserFields): Promise<{ previous: User; next: User } | undefined> {
  const user = await resolveUser(input.deps, input.params.user!);
  const rolesChange = b.roles !== undefined && [...new Set(b.roles)].sort().join() !== [...user.roles].sort().join();
  if (rolesChange) requireRoleAuthority(input, 'Changing administrative roles');
  else if (user.roles.length) requireRoleAuthority(input, 'Changing an administrator');
  const next: User = { ...user };
  let claimed: string | undefined;
  if (b.displayName !== undefined) next.displayName = b.displayName;
  if (b.userType !== undefined) next.userType = b.userType;
  if (b.roles !== undefined) next.roles = [...new Set(b.roles)];
  if (b.groups !== undefined) next.groups = [...new Set(b.groups)];
  for (const f of PROFILE_FIELDS) {
    const v = b[f];
    if (v === null) delete next[f];
    else if (v !== undefined) next[f] = v;
  }
  // Stored only: what a disabled account may not do is another change's (the sign-in flow's) business.
  if (b.accountEnabled === true) delete next.accountEnabled;
  else if (b.accountEnabled === false) next.accountEnabled = false;
  if (next.userType === 'Guest') next.guestOrigin = b.guestOrigin ?? user.guestOrigin ?? 'internal';
  else if (b.guestOrigin !== undefined) throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
  else delete next.guestOrigin;
  if (b.userPrincipalName !== undefined && b.userPrincipalName.toLowerCase() !== user.userPrincipalName.toLowerCase()) {
    if (!(await input.deps.directory.claimUpn(b.userPrincipalName, user.id))) throw new BadRequestError(UPN_TAKEN, 'Request_BadRequest');
    claimed = b.userPrincipalName;
    next.userPrincipalName = b.userPrincipalName;
  } else if (b.userPrincipalName !== undefined) {
    next.userPrincipalName = b.userPrincipalName;
  }
  if (await input.deps.directory.update(next, user, auditContext(input))) return { previous: user, next };
  // Lost the race: give back a name claimed for this attempt (the next attempt claims it again if still wanted).
  if (claimed) await input.deps.directory.releaseUpn(claimed, user.id);
  return undefined;
}
