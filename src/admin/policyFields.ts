import type { AdminPolicyView } from '../http/views/AdminPolicyView.js';
import { msg } from '../i18n/msg.js';
import type { TapPolicy } from '../tap/TapPolicy.js';
import { TapPolicySchema } from '../tap/TapPolicySchema.js';

/** The integer fields of the policy the page edits, with their ranges as the policy's own schema gives them. */
const INTEGERS = ['minimumLifetimeInMinutes', 'maximumLifetimeInMinutes', 'defaultLifetimeInMinutes', 'defaultLength'] as const;

/** The policy's fields as the page shows them (scope targets stay with the API, which edits them as lists). */
export function policyFields(p: TapPolicy, given: Record<string, string> = {}): AdminPolicyView['fields'] {
  const props = TapPolicySchema.properties;
  return [
    { name: 'state', label: msg('admin.policy.state'), kind: 'state', value: given.state ?? p.state, hint: msg('admin.policy.stateHint') },
    ...INTEGERS.map((name) => ({
      name,
      label: msg(`admin.policy.${name}`),
      kind: 'integer' as const,
      value: given[name] ?? String(p[name]),
      min: props[name].minimum!,
      max: props[name].maximum!,
      hint: msg('admin.policy.range', { min: props[name].minimum!, max: props[name].maximum! }),
    })),
    { name: 'isUsableOnce', label: msg('admin.policy.isUsableOnce'), kind: 'boolean', value: String(given.state !== undefined ? given.isUsableOnce === 'on' : p.isUsableOnce), hint: msg('admin.policy.isUsableOnceHint') },
  ];
}
