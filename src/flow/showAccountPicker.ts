import type { Context } from 'koa';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import type { InteractionTools } from './InteractionTools.js';
import { clientName } from './loadInteraction.js';
import type { Details } from './LoginCompleter.js';
import { normaliseUsername } from './normaliseUsername.js';

/**
 * `prompt=select_account`: the account this browser is signed in with, to continue as or to set aside for another;
 * with no such account, the identifier step, as Entra ID does.
 */
export async function showAccountPicker(t: InteractionTools, ctx: Context, d: Details): Promise<void> {
  const accountId = d.session?.accountId;
  const user = accountId ? await t.deps.directory.findById(accountId) : undefined;
  if (!user) return t.pages.showIdentifier(ctx, d, typeof d.params.login_hint === 'string' ? normaliseUsername(d.params.login_hint) : '');
  await renderView(ctx, 'select-account', {
    title: msg('selectAccount.title'),
    clientName: await clientName(t.deps.provider, d),
    username: user.userPrincipalName,
    displayName: user.displayName,
    action: `/interaction/${d.uid}/select-account`,
  });
}
