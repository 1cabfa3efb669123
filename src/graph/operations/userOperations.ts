import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../directory/passwordHash.js';
import type { User } from '../../directory/User.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { authorize } from '../authorize.js';
import { authorizedUser } from '../authorizedUser.js';
import type { Operation, OperationInput } from '../Operation.js';
import { parseUserFilter } from '../parseUserFilter.js';
import { auditContext } from '../auditContext.js';
import { requireCapability } from '../requireCapability.js';
import { resolveUser } from '../resolveUser.js';
import { toGraphUser } from '../toGraphUser.js';
import { err, ref } from './refs.js';


interface UserFields {
  userPrincipalName?: string;
  displayName?: string;
  userType?: 'Member' | 'Guest';
  guestOrigin?: 'internal' | 'external';
  roles?: User['roles'];
  groups?: string[];
  passwordProfile?: { password: string };
  accountEnabled?: boolean;
}

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
      const b = input.body as UserFields & { userPrincipalName: string; displayName: string };
      if (b.roles?.length) requireRoleAuthority(input, 'Creating a user with administrative roles');
      if (b.guestOrigin && (b.userType ?? 'Member') !== 'Guest') throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
      const id = randomUUID();
      if (!(await input.deps.directory.claimUpn(b.userPrincipalName, id))) {
        throw new ConflictError('Another object with the same value for property userPrincipalName already exists.');
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
        ...(b.passwordProfile ? { passwordHash: await hashPassword(b.passwordProfile.password) } : {}),
        ...(b.accountEnabled !== undefined ? { accountEnabled: b.accountEnabled } : {}),
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
  if (b.accountEnabled !== undefined) next.accountEnabled = b.accountEnabled;
  if (next.userType === 'Guest') next.guestOrigin = b.guestOrigin ?? user.guestOrigin ?? 'internal';
  else if (b.guestOrigin !== undefined) throw new BadRequestError('guestOrigin applies only to users of userType Guest.');
  else delete next.guestOrigin;
  if (b.userPrincipalName !== undefined && b.userPrincipalName.toLowerCase() !== user.userPrincipalName.toLowerCase()) {
    if (!(await input.deps.directory.claimUpn(b.userPrincipalName, user.id))) {
      throw new ConflictError('Another object with the same value for property userPrincipalName already exists.');
    }
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
