import type { Context } from 'koa';
import { UnauthorizedError } from '../errors.js';
import type { Caller } from './Caller.js';
import type { GraphDeps } from './GraphDeps.js';
import { graphResource } from '../provider/graphResource.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]{1,4096}=*)$/;

/**
 * The caller of an admin API request, from a bearer access token this provider issued for the API: the token
 * must exist (so not revoked), not be expired, and have the API as its audience. A delegated token's user and
 * grant must still exist.
 */
export async function authenticateCaller(ctx: Context, deps: GraphDeps): Promise<Caller> {
  const match = BEARER.exec(ctx.get('authorization'));
  if (!match) throw new UnauthorizedError('Send an access token of this provider: Authorization: Bearer <token>.');
  const value = match[1]!;
  const { provider } = deps;
  const find = async <T>(f: () => Promise<T | undefined>) => {
    try {
      return await f();
    } catch {
      // A malformed value is simply not a token of ours.
      return undefined;
    }
  };
  const access = await find(() => provider.AccessToken.find(value));
  const token = access ?? (await find(() => provider.ClientCredentials.find(value)));
  if (!token || token.isExpired) throw new UnauthorizedError('The access token is invalid, revoked or expired.');
  if (token.aud !== graphResource(deps.issuer)) {
    throw new UnauthorizedError(`The access token is not for this API: its audience must be ${graphResource(deps.issuer)}.`);
  }
  const scopes = new Set((token.scope ?? '').split(' ').filter(Boolean));
  if (!access) {
    const client = deps.clients.find((c) => c.client_id === token.clientId);
    const granted = new Set(client?.permissions ?? []);
    return {
      kind: 'app',
      clientId: token.clientId!,
      displayName: String(client?.client_name ?? token.clientId),
      permissions: new Set([...scopes].filter((s) => granted.has(s as never))),
    };
  }
  const [user, grant] = await Promise.all([
    access.accountId ? deps.directory.findById(access.accountId) : undefined,
    access.grantId ? find(() => provider.Grant.find(access.grantId!)) : undefined,
  ]);
  if (!user || !grant) throw new UnauthorizedError('The access token is invalid, revoked or expired.');
  const authTime = access.extra?.auth_time;
  return { kind: 'user', user, scopes, ...(typeof authTime === 'number' ? { authAt: authTime * 1000 } : {}) };
}
