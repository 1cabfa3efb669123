import type { AuditLog } from '../audit/AuditLog.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { Directory } from './Directory.js';
import { LdapDirectory } from './LdapDirectory.js';
import type { LdapDirectoryConfig } from './LdapDirectorySchema.js';
import { ReadOnlyDirectory } from './ReadOnlyDirectory.js';
import type { UserDirectory } from './UserDirectory.js';

/**
 * The directory the config file names: LDAP with a `directory` section, a host's own when given, else
 * oidc-tap's Redis directory.
 */
export function createDirectory(redis: Store, audit: AuditLog, ldap: LdapDirectoryConfig | undefined, log: Logger, host?: UserDirectory): Directory {
  const source = host ?? (ldap ? new LdapDirectory(redis, ldap, log) : undefined);
  return source ? new ReadOnlyDirectory(redis, audit, source) : new Directory(redis, audit);
}
