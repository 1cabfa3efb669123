import type { User } from '../../directory/User.js';
import { BadRequestError, ConflictError, NotFoundError, StaleSignInError } from '../../errors.js';
import { toFido2Method } from '../../passkeys/toFido2Method.js';
import { authorize } from '../authorize.js';
import { authorizedUser } from '../authorizedUser.js';
import type { GraphDeps } from '../GraphDeps.js';
import type { Operation, OperationInput } from '../Operation.js';
import { auditRecords } from '../../audit/auditRecords.js';
import { auditContext } from '../auditContext.js';
import { err, ref } from './refs.js';

/** Graph's fixed id of the password method. */
const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
const common = { 401: err('No valid token'), 403: err('Not allowed'), 404: err('No such user or method') };
const meCommon = { 400: err('Not a delegated token'), 401: err('No valid token'), 403: err('The token lacks the scope'), 404: err('No such method') };
const meRead = 'Delegated: any signed-in user, for themselves, with scope UserAuthenticationMethod.Read or UserAuthenticationMethod.ReadWrite (or a UserAuthMethod-TAP one).';
const meWrite =
  'Delegated: any signed-in user, for themselves, with scope UserAuthenticationMethod.ReadWrite (or UserAuthMethod-TAP.ReadWrite.All), ' +
  'and a sign-in within reauthenticationMaxAgeSeconds: an older one gets 401 with WWW-Authenticate error="insufficient_user_authentication" and max_age.';

async function allMethods(deps: GraphDeps, user: User): Promise<object[]> {
  const [tap, passkeys] = await Promise.all([deps.taps.get(user), deps.passkeys.list(user.id)]);
  return [
    ...(user.passwordHash
      ? [{ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: PASSWORD_METHOD_ID, password: null, createdDateTime: user.createdDateTime }]
      : []),
    ...(tap ? [{ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', ...tap }] : []),
    ...passkeys.map(toFido2Method),
  ];
}

/**
 * The signed-in user of a `/me` path, once the token's scopes allow `right`; applications have no "me". A change
 * also needs a recent sign-in, as on the security-info page: a token that outlives its sign-in (or a stolen one)
 * must not delete the methods it was obtained with.
 */
function me(input: OperationInput, right: 'me.read' | 'me.write'): User {
  const { caller, deps } = input;
  if (caller.kind !== 'user') throw new BadRequestError('/me request is only valid with delegated authentication flow.');
  authorize(caller, right);
  const maxAge = deps.reauthenticationMaxAgeSeconds;
  if (right === 'me.write' && (caller.authAt === undefined || deps.clock.now() - caller.authAt > maxAge * 1000)) throw new StaleSignInError(maxAge);
  return caller.user;
}

async function fido2(deps: GraphDeps, user: User, id: string) {
  const p = await deps.passkeys.get(user.id, id);
  if (!p) throw new NotFoundError('The user has no FIDO2 method with that id.');
  return p;
}

/** A password or a usable TAP is a way back in: without one, a user must not delete their last passkey. */
async function hasOtherWayIn(deps: GraphDeps, user: User): Promise<boolean> {
  return user.passwordHash !== undefined || (await deps.taps.usableTap(user)) !== undefined;
}

async function deleteFido2(input: OperationInput, user: User, self: boolean) {
  const passkey = await fido2(input.deps, user, input.params.id!);
  // A user deleting their own last way in would lock themselves out. "Is it the last?" and the deletion are one
  // atomic step, so two deletions at once cannot both pass.
  const keepLast = self && !(await hasOtherWayIn(input.deps, user));
  const by = self ? auditRecords.selfContext(user, input.ctx.ip) : auditContext(input);
  if ((await input.deps.passkeys.delete(user, passkey, by, { keepLast })) === 'last') {
    throw new ConflictError("You can't delete your only way to sign in. Add another passkey first, or ask your administrator for a Temporary Access Pass.");
  }
  return { status: 204 };
}

/** Every authentication method of a user, FIDO2 passkeys, revoking sessions, and the same for `/me`. */
export const methodOperations: Operation[] = [
  {
    method: 'get',
    path: '/users/{user}/authentication/methods',
    operationId: 'listAuthenticationMethods',
    context: "users('{user}')/authentication/methods",
    summary: 'Password, TAP and FIDO2 methods of a user, each with its @odata.type.',
    access: 'Application: a UserAuthMethod-TAP permission. Delegated: the TAP roles within their scope, and GlobalReader.',
    responses: { 200: { description: 'The methods', schema: ref('AuthenticationMethodCollection') }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'methods.read');
      return { status: 200, body: { value: await allMethods(input.deps, user) } };
    },
  },
  {
    method: 'get',
    path: '/users/{user}/authentication/fido2Methods',
    operationId: 'listFido2Methods',
    context: "users('{user}')/authentication/fido2Methods",
    summary: 'The passkeys of a user.',
    access: 'As listAuthenticationMethods.',
    responses: { 200: { description: 'The passkeys', schema: ref('Fido2MethodCollection') }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'methods.read');
      return { status: 200, body: { value: (await input.deps.passkeys.list(user.id)).map(toFido2Method) } };
    },
  },
  {
    method: 'get',
    path: '/users/{user}/authentication/fido2Methods/{id}',
    operationId: 'getFido2Method',
    context: "users('{user}')/authentication/fido2Methods/$entity",
    summary: 'One passkey of a user.',
    access: 'As listAuthenticationMethods.',
    responses: { 200: { description: 'The passkey', schema: ref('Fido2Method') }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'methods.read');
      return { status: 200, body: toFido2Method(await fido2(input.deps, user, input.params.id!)) };
    },
  },
  {
    method: 'delete',
    path: '/users/{user}/authentication/fido2Methods/{id}',
    operationId: 'deleteFido2Method',
    summary: 'Delete a passkey of a user (recovery: the lost device\'s).',
    access: 'Application: UserAuthMethod-TAP.ReadWrite.All. Delegated: the TAP-issuing roles within their scope.',
    responses: { 204: { description: 'Deleted' }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'methods.write');
      return deleteFido2(input, user, false);
    },
  },
  {
    method: 'post',
    path: '/users/{user}/revokeSignInSessions',
    operationId: 'revokeSignInSessions',
    context: "Edm.Boolean",
    summary: 'End every session, grant and refresh token of a user.',
    access: 'Application: User.ReadWrite.All. Delegated: GlobalAdministrator, and the authentication administrators within their scope.',
    responses: { 200: { description: 'Revoked', schema: ref('BooleanResult') }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'sessions.revoke');
      await input.deps.revoker.revokeSignInSessions(user, auditContext(input));
      return { status: 200, body: { value: true } };
    },
  },
  {
    method: 'get',
    path: '/me/authentication/methods',
    operationId: 'listMyAuthenticationMethods',
    context: "users('{me}')/authentication/methods",
    summary: 'The signed-in user\'s methods.',
    access: meRead,
    responses: { 200: { description: 'The methods', schema: ref('AuthenticationMethodCollection') }, ...meCommon },
    async handler(input) {
      return { status: 200, body: { value: await allMethods(input.deps, me(input, 'me.read')) } };
    },
  },
  {
    method: 'get',
    path: '/me/authentication/temporaryAccessPassMethods',
    operationId: 'listMyTemporaryAccessPasses',
    context: "users('{me}')/authentication/temporaryAccessPassMethods",
    summary: 'The signed-in user\'s TAP, if any (passcode null).',
    access: meRead,
    responses: { 200: { description: 'Zero or one TAP', schema: ref('TemporaryAccessPassMethodCollection') }, ...meCommon },
    async handler(input) {
      const tap = await input.deps.taps.get(me(input, 'me.read'));
      return { status: 200, body: { value: tap ? [{ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', ...tap }] : [] } };
    },
  },
  {
    method: 'delete',
    path: '/me/authentication/temporaryAccessPassMethods/{tapId}',
    operationId: 'deleteMyTemporaryAccessPass',
    summary: 'Delete one\'s own TAP (its sign-ins are revoked if it was usable).',
    access: meWrite,
    responses: { 204: { description: 'Deleted' }, ...meCommon },
    async handler(input) {
      const user = me(input, 'me.write');
      await input.deps.taps.delete(user, input.params.tapId, auditRecords.selfContext(user, input.ctx.ip));
      return { status: 204 };
    },
  },
  {
    method: 'get',
    path: '/me/authentication/fido2Methods',
    operationId: 'listMyFido2Methods',
    context: "users('{me}')/authentication/fido2Methods",
    summary: 'The signed-in user\'s passkeys.',
    access: meRead,
    responses: { 200: { description: 'The passkeys', schema: ref('Fido2MethodCollection') }, ...meCommon },
    async handler(input) {
      return { status: 200, body: { value: (await input.deps.passkeys.list(me(input, 'me.read').id)).map(toFido2Method) } };
    },
  },
  {
    method: 'delete',
    path: '/me/authentication/fido2Methods/{id}',
    operationId: 'deleteMyFido2Method',
    summary: 'Delete one of one\'s own passkeys; refused for the last way in while no TAP is usable.',
    access: meWrite,
    responses: { 204: { description: 'Deleted' }, 409: err('It is the last way to sign in'), ...meCommon },
    async handler(input) {
      return deleteFido2(input, me(input, 'me.write'), true);
    },
  },
];
