import type { Account, FindAccount } from 'oidc-provider';
import type { Users } from './Users.js';

/**
 * oidc-provider's account lookup: subject = the directory's id, claims from the directory (its own `claims` first,
 * never replacing `sub`, `oid` or `tid`). A user the directory no longer knows, or has disabled, has no account:
 * their refresh, userinfo, device code and single sign-on fail. `oid` and `tid` are Entra ID's object and tenant
 * ids, which apps written for it read (MSAL's `account.localAccountId` and `tenantId`).
 */
export function accountClaims(directory: Users, tenantId: string): FindAccount {
  return async (ctx, id): Promise<Account | undefined> => {
    const user = await directory.findById(id);
    if (!user || user.accountEnabled === false) {
      // The user is gone (or disabled) while a browser still holds their sign-in session (removed in LDAP, where nothing tells
      // us): that session signs nobody in any more, so the next authorization asks who is signing in.
      const session = (ctx as { oidc?: { session?: { accountId?: string } } } | undefined)?.oidc?.session;
      if (session?.accountId === id) delete session.accountId;
      return undefined;
    }
    return {
      accountId: user.id,
      claims: () => ({
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        upn: user.userPrincipalName,
        email: user.userPrincipalName,
        ...user.claims,
        sub: user.id,
        oid: user.id,
        tid: tenantId,
      }),
    };
  };
}
