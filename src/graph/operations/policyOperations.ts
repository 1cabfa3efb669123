import { authorize } from '../authorize.js';
import type { Operation } from '../Operation.js';
import { auditContext } from '../auditContext.js';
import { err, ref } from './refs.js';

const PATH = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
const TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration';

/** The deployment's TemporaryAccessPass authentication-method configuration. */
export const policyOperations: Operation[] = [
  {
    method: 'get',
    path: PATH,
    operationId: 'getTemporaryAccessPassPolicy',
    context: "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity",
    summary: 'The TAP policy.',
    access: 'Application: Policy.Read.All or Policy.ReadWrite.AuthenticationMethod. Delegated: GlobalAdministrator, AuthenticationPolicyAdministrator, GlobalReader.',
    responses: { 200: { description: 'The policy', schema: ref('TemporaryAccessPassPolicy') }, 401: err('No valid token'), 403: err('Not allowed') },
    async handler(input) {
      authorize(input.caller, 'policy.read');
      const policy = await input.deps.taps.getPolicy();
      return {
        status: 200,
        body: {
          '@odata.type': TYPE,
          id: 'TemporaryAccessPass',
          ...policy,
          includeTargets: policy.includeTargets.map((t) => ({ ...t, isRegistrationRequired: false })),
        },
      };
    },
  },
  {
    method: 'patch',
    path: PATH,
    operationId: 'updateTemporaryAccessPassPolicy',
    summary: 'Change any fields of the TAP policy; refused whole (nothing changed) when the result breaks a rule.',
    access: 'Application: Policy.ReadWrite.AuthenticationMethod. Delegated: GlobalAdministrator, AuthenticationPolicyAdministrator.',
    body: ref('TemporaryAccessPassPolicyPatch'),
    responses: {
      204: { description: 'Changed' },
      400: err('Invalid change; the message names the field'),
      401: err('No valid token'),
      403: err('Not allowed'),
      413: err('Body too large'),
      415: err('Not JSON'),
    },
    async handler(input) {
      authorize(input.caller, 'policy.write');
      const { ['@odata.type']: _type, id: _id, ...changes } = input.body as Record<string, unknown>;
      // Graph's targets carry isRegistrationRequired, which a TAP has no use for.
      for (const field of ['includeTargets', 'excludeTargets']) {
        if (Array.isArray(changes[field])) {
          changes[field] = (changes[field] as Record<string, unknown>[]).map(({ isRegistrationRequired: _r, ...t }) => t);
        }
      }
      await input.deps.taps.updatePolicy(changes, auditContext(input));
      return { status: 204 };
    },
  },
  {
    method: 'delete',
    path: PATH,
    operationId: 'resetTemporaryAccessPassPolicy',
    summary: 'Restore the policy\'s defaults (docs/rules.md, "Policy"): state disabled, 60/480/60 minutes, length 8, multi-use.',
    access: 'As updateTemporaryAccessPassPolicy.',
    responses: { 204: { description: 'Reset' }, 401: err('No valid token'), 403: err('Not allowed') },
    async handler(input) {
      authorize(input.caller, 'policy.write');
      await input.deps.taps.resetPolicy(auditContext(input));
      return { status: 204 };
    },
  },
];
