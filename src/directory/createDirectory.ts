import type { AuditLog } from '../audit/AuditLog.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { Directory } from './Directory.js';
import { LdapDirectory } from './LdapDirectory.js';
import type { LdapDirectoryConfig } from './LdapDirectorySchema.js';
import type { UserDirectory } from './UserDirectory.js';

/** The directory in use: a host's own when given, LDAP when the config file has a `directory` section, else Redis. */
export function createDirectory(redis: Store, audit: AuditLog, ldap: LdapDirectoryConfig | undefined, log: Logger, host?: UserDirectory): UserDirectory {
  return host ?? (ldap ? new LdapDirectory(redis, ldap, log) : new Directory(redis, audit));
}
