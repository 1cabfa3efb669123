import type { Account, FindAccount } from 'oidc-provider';
import type { Directory } from './Directory.js';

/** oidc-provider's account lookup: subject = user id, claims from the directory. */
export function accountClaims(directory: Directory): FindAccount {
  return async (ctx, id): Promise<Account | undefined> => {
    const user = await directory.findById(id);
    if (!user) {
      // The user is gone while a browser still holds their sign-in session (removed in LDAP, where nothing tells
      // us): that session signs nobody in any more, so the next authorization asks who is signing in.
      const session = (ctx as { oidc?: { session?: { accountId?: string } } } | undefined)?.oidc?.session;
      if (session?.accountId === id) delete session.accountId;
      return undefined;
    }
    return {
      accountId: user.id,
      claims: () => ({
        sub: user.id,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        upn: user.userPrincipalName,
        email: user.userPrincipalName,
      }),
    };
  };
}
