import { ForbiddenError, NotFoundError } from '../../errors.js';
import { authorizedUser } from '../authorizedUser.js';
import type { Operation, OperationInput } from '../Operation.js';
import { auditContext } from '../auditContext.js';
import { err, ref } from './refs.js';

const TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';
const BASE = '/users/{user}/authentication/temporaryAccessPassMethods';
const common = { 401: err('No valid token'), 403: err('Not allowed'), 404: err('No such user or TAP') };

/** The `{user}`'s TAP, for a caller who may read it. */
async function tapOf(input: OperationInput) {
  return input.deps.taps.get(await authorizedUser(input, 'tap.read'));
}

/** A user's Temporary Access Pass: at most one; creating another replaces it. */
export const tapOperations: Operation[] = [
  {
    method: 'post',
    path: BASE,
    operationId: 'createTemporaryAccessPass',
    context: "users('{user}')/authentication/temporaryAccessPassMethods/$entity",
    summary:
      'Issue a TAP (replacing any previous one, whose sign-ins are revoked if it was usable). The only response that carries the passcode. For a user who holds an administrative role it is issued pending (PendingApproval) until a second administrator approves it (approveTemporaryAccessPass), unless option tapApprovalForAdmins is false.',
    access:
      'Application: UserAuthMethod-TAP.ReadWrite.All. Delegated: GlobalAdministrator, PrivilegedAuthenticationAdministrator (admins and members), AuthenticationAdministrator (non-admins); never for oneself.',
    body: ref('TemporaryAccessPassCreate'),
    responses: {
      201: { description: 'Created, with the passcode', schema: ref('TemporaryAccessPassMethod') },
      400: err('Invalid body, lifetime outside the policy range, or an external guest'),
      ...common,
      413: err('Body too large'),
      415: err('Not JSON'),
    },
    async handler(input) {
      const user = await authorizedUser(input, 'tap.write', { creatingTap: true });
      const b = (input.body ?? {}) as { startDateTime?: string; lifetimeInMinutes?: number; isUsableOnce?: boolean };
      const tap = await input.deps.taps.create(user, {
        ...(b.startDateTime !== undefined ? { startDateTime: b.startDateTime } : {}),
        ...(b.lifetimeInMinutes !== undefined ? { lifetimeInMinutes: b.lifetimeInMinutes } : {}),
        ...(b.isUsableOnce !== undefined ? { isUsableOnce: b.isUsableOnce } : {}),
      }, auditContext(input));
      input.ctx.set('Location', `${input.deps.issuer}/v1.0/users/${user.id}/authentication/temporaryAccessPassMethods/${tap.id}`);
      return { status: 201, body: { '@odata.type': TYPE, ...tap } };
    },
  },
  {
    method: 'get',
    path: BASE,
    operationId: 'listTemporaryAccessPasses',
    context: "users('{user}')/authentication/temporaryAccessPassMethods",
    summary: 'The user\'s TAP, if any (passcode always null).',
    access: 'Application: UserAuthMethod-TAP.Read.All or .ReadWrite.All. Delegated: as for creation, and GlobalReader.',
    responses: { 200: { description: 'Zero or one TAP', schema: ref('TemporaryAccessPassMethodCollection') }, ...common },
    async handler(input) {
      const tap = await tapOf(input);
      return { status: 200, body: { value: tap ? [{ '@odata.type': TYPE, ...tap }] : [] } };
    },
  },
  {
    method: 'get',
    path: `${BASE}/{tapId}`,
    operationId: 'getTemporaryAccessPass',
    context: "users('{user}')/authentication/temporaryAccessPassMethods/$entity",
    summary: 'One TAP by id (passcode always null).',
    access: 'As listTemporaryAccessPasses.',
    responses: { 200: { description: 'The TAP', schema: ref('TemporaryAccessPassMethod') }, ...common },
    async handler(input) {
      const tap = await tapOf(input);
      if (!tap || tap.id !== input.params.tapId) throw new NotFoundError('The user has no Temporary Access Pass with that id.');
      return { status: 200, body: { '@odata.type': TYPE, ...tap } };
    },
  },
  {
    method: 'post',
    path: `${BASE}/{tapId}/unlock`,
    operationId: 'unlockTemporaryAccessPass',
    context: "users('{user}')/authentication/temporaryAccessPassMethods/$entity",
    summary:
      'oidc-tap extension, not in Graph: clear the failures counted against a TAP and its lock (of the TAP and of each network), keeping its passcode. Answers the TAP as it now is.',
    access: 'As deleteTemporaryAccessPass.',
    responses: { 200: { description: 'Unlocked', schema: ref('TemporaryAccessPassMethod') }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'tap.write');
      const tap = await input.deps.taps.unlock(user, input.params.tapId!, auditContext(input));
      return { status: 200, body: { '@odata.type': TYPE, ...tap } };
    },
  },
  {
    method: 'post',
    path: `${BASE}/{tapId}/approve`,
    operationId: 'approveTemporaryAccessPass',
    summary:
      'oidc-tap extension, not in Graph (the two-person rule, option tapApprovalForAdmins): approve a TAP of a user who holds an administrative role, issued pending (methodUsabilityReason PendingApproval), so that it can sign in. Never by the administrator who issued it; audited, and sent as a security event. Answers the TAP as it now is (passcode null).',
    access:
      'Delegated only (a second person, not an application): GlobalAdministrator or PrivilegedAuthenticationAdministrator, as for creating a TAP for that user; never the administrator who issued it, never for oneself.',
    responses: { 200: { description: 'Approved', schema: ref('TemporaryAccessPassMethod') }, 400: err('Not waiting for approval'), ...common },
    async handler(input) {
      // An application that may issue TAPs learns, as for any operation, whether the user exists; it may not approve.
      const user = await authorizedUser(input, 'tap.write', { creatingTap: true });
      if (input.caller.kind !== 'user') throw new ForbiddenError('A Temporary Access Pass is approved by a second administrator signed in, not by an application.');
      const tap = await input.deps.taps.approve(user, input.params.tapId!, auditContext(input));
      return { status: 200, body: { '@odata.type': TYPE, ...tap } };
    },
  },
  {
    method: 'delete',
    path: `${BASE}/{tapId}`,
    operationId: 'deleteTemporaryAccessPass',
    summary: 'Delete a TAP; if it was usable, every session, grant and token obtained with it is revoked at once.',
    access: 'Application: UserAuthMethod-TAP.ReadWrite.All. Delegated: as for creation (an administrator may delete their own).',
    responses: { 204: { description: 'Deleted' }, ...common },
    async handler(input) {
      const user = await authorizedUser(input, 'tap.write');
      await input.deps.taps.delete(user, input.params.tapId, auditContext(input));
      return { status: 204 };
    },
  },
];
