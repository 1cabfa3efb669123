import type { User } from '../../src/directory/User.js';
import type { TestServer } from './testServer.js';
import type { TestServices } from './testServices.js';

let seq = 0;

/** A member of their own for each test (and each race round), so per-account counters never leak between them. */
export function freshUser(source: TestServer | TestServices, prefix: string, groups: string[] = []): Promise<User> {
  seq += 1;
  const directory = 'plugin' in source ? source.plugin.directory : source.directory;
  return directory.importSeed({
    userPrincipalName: `${prefix}-${seq}@contoso.com`,
    displayName: `${prefix} ${seq}`,
    userType: 'Member',
    roles: [],
    groups,
  });
}
