import type { Account, FindAccount } from 'oidc-provider';
import type { Directory } from './Directory.js';

/** oidc-provider's account lookup: subject = user id, claims from the directory. */
export function accountClaims(directory: Directory): FindAccount {
  return async (_ctx, id): Promise<Account | undefined> => {
    const user = await directory.findById(id);
    if (!user) return undefined;
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
