import type Provider from 'oidc-provider';
import { INTERNAL_CLIENTS } from '../provider/INTERNAL_CLIENTS.js';
import { graphResource, graphScopes } from '../provider/graphResource.js';
import type { Details } from './LoginCompleter.js';

/**
 * The product's own clients (security info, the admin console): a person never has to approve what they ask
 * for. Neither asks for an API scope today: the console acts through the services with the person's roles.
 */
export const PRE_APPROVED_CLIENTS: ReadonlySet<string> = new Set(Object.values(INTERNAL_CLIENTS).map((c) => c.id));

/** What an authorization asks of the admin API on behalf of one person. */
export interface ApiConsent {
  /** Accepted already (in this grant, or pre-approved): a new grant may carry these. */
  approved: string[];
  /** Allowed to the client by its config but not yet accepted by the person: the consent page lists these. */
  pending: string[];
}

/**
 * The admin API scopes of an authorization request, split into accepted and still to ask. Only scopes the
 * client's config entry allows (`delegatedPermissions`) count at all; the others are never granted, so no page
 * offers them. What a person accepted is remembered in the grant of their session with that client.
 */
export async function apiConsent(provider: Provider, delegatedOf: (clientId: string) => readonly string[], d: Details, accountId: string): Promise<ApiConsent> {
  const clientId = String(d.params.client_id);
  const api = graphResource(provider.issuer);
  if (![d.params.resource].flat().includes(api)) return { approved: [], pending: [] };
  const allowed = new Set(delegatedOf(clientId));
  const wanted = graphScopes(typeof d.params.scope === 'string' ? d.params.scope : undefined).filter((s) => allowed.has(s));
  if (PRE_APPROVED_CLIENTS.has(clientId)) return { approved: wanted, pending: [] };
  const grant = d.grantId ? await provider.Grant.find(d.grantId) : undefined;
  const remembered = new Set(grant?.accountId === accountId && grant.clientId === clientId ? grant.getResourceScope(api).split(' ') : []);
  return { approved: wanted.filter((s) => remembered.has(s)), pending: wanted.filter((s) => !remembered.has(s)) };
}
