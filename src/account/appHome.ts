import type { PageLink } from '../http/views/PageLink.js';
import { msg } from '../i18n/msg.js';
import type { AccountTools } from './AccountTools.js';

/**
 * The way back to a registered application: its `client_uri` (its home page, from the config), never an
 * address a request names, so the page cannot be made to send anyone elsewhere. Null for an unknown client or
 * one without a home page.
 */
export async function appHome(t: AccountTools, clientId: string | undefined): Promise<PageLink | null> {
  if (!clientId || clientId.length > 200) return null;
  const client = await t.deps.provider.Client.find(clientId);
  const home = client?.clientUri;
  if (!client || typeof home !== 'string' || !/^https?:\/\//i.test(home)) return null;
  return { href: home, label: msg('securityInfo.backTo', { app: client.clientName ?? client.clientId }) };
}
