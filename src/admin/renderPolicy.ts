import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import { adminNav } from './adminNav.js';
import type { AdminTools } from './AdminTools.js';
import type { AdminVisit } from './AdminVisit.js';
import { policyFields } from './policyFields.js';
import { refusalOf } from './refusalOf.js';

/** The policy page, with the values given and the policy's refusal when a change was refused. */
export async function renderPolicy(ctx: Context, t: AdminTools, v: AdminVisit, given?: Record<string, string>, error?: string): Promise<void> {
  await renderView(
    ctx,
    'admin-policy',
    {
      title: msg('admin.policy.title'),
      nav: adminNav(ctx, v, error ? { verbatim: error } : undefined),
      editable: !refusalOf(v.caller, 'editPolicy'),
      action: '/admin/policy',
      fields: policyFields(await t.deps.taps.getPolicy(), given),
    },
    error ? 400 : 200,
  );
}
