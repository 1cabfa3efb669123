import type { User } from '../../src/directory/User.js';
import type { TestServer } from './testServer.js';

/**
 * The test tenant's user named `upn`. With `orImport`, a member of that name is imported when there is none
 * (a federated domain's user who has not signed in yet).
 */
export async function findUser(server: TestServer, upn: string, opts: { orImport?: boolean } = {}): Promise<User> {
  const found = await server.plugin.directory.findByUpn(upn);
  if (found) return found;
  if (!opts.orImport) throw new Error(`no user ${upn} in the test tenant`);
  return server.plugin.directory.importSeed({ userPrincipalName: upn, displayName: upn.split('@')[0]!, userType: 'Member', roles: [], groups: [] });
}
