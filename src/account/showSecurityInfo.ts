import type { Context } from 'koa';
import type { User } from '../directory/User.js';
import { renderView } from '../http/renderView.js';
import type { AccountSession } from './AccountSession.js';
import type { AccountTools } from './AccountTools.js';
import { backToApp } from './backToApp.js';
import { securityInfoView } from './securityInfoView.js';
import type { MessageRef } from '../i18n/MessageRef.js';

/** Render the page, with a notice (after a change) or an error and its status (a change refused). */
export async function showSecurityInfo(
  ctx: Context,
  t: AccountTools,
  s: AccountSession,
  user: User,
  extra: { notice?: MessageRef | undefined; error?: MessageRef | undefined; status?: number } = {},
): Promise<void> {
  await renderView(ctx, 'security-info', await securityInfoView(t, s, user, extra, await backToApp(ctx, t)), extra.status ?? 200);
}
