import type { User } from '../../src/directory/User.js';
import type { TestServer } from './testServer.js';

let seq = 0;

/** A member of their own for each test (and each race round), so per-account counters never leak between them. */
export function freshUser(server: TestServer, prefix: string, groups: string[] = []): Promise<User> {
  seq += 1;
  return server.plugin.directory.importSeed({
    userPrincipalName: `${prefix}-${seq}@contoso.com`,
    displayName: `${prefix} ${seq}`,
    userType: 'Member',
    roles: [],
    groups,
  });
}
