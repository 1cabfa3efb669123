import { Client, SizeLimitExceededError, type Entry } from 'ldapts';
import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../log/Logger.js';
import type { Store } from '../store/connectRedis.js';
import { keys } from '../store/keys.js';
import type { LdapDirectoryConfig } from './LdapDirectorySchema.js';
import { pickProfile } from './pickProfile.js';
import { PROFILE_FIELDS } from './PROFILE_FIELDS.js';
import type { Role } from './Role.js';
import type { DirectoryUser, UserDirectory } from './UserDirectory.js';

/** RFC 4515: a value inside a filter, so that a typed name cannot widen the search (`*`, `)(`…). */
function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function first(entry: Entry, name: string): string | undefined {
  const v = entry[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
}

function all(entry: Entry, name: string): string[] {
  const v = entry[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

/** A group's short name: the value of its DN's first RDN (`cn=admins,ou=groups,…` → `admins`). */
function groupName(dn: string): string {
  const rdn = dn.split(/(?<!\\),/)[0] ?? dn;
  return rdn.slice(rdn.indexOf('=') + 1);
}

/**
 * Users read from LDAP: the `directory` section of the config file. Read-only: users are created, changed and
 * removed in LDAP; TAPs, passkeys and sessions stay in Redis under the user's LDAP id (`attributes.id`, a stable
 * one such as `entryUUID`, so that a renamed user keeps their passkeys).
 *
 * Every answer, found or not, is kept in Redis for `cacheTtlSeconds`: the pages and the token endpoint ask for the
 * same user several times in one sign-in, and that costs one LDAP search; an unknown name costs the same as a known
 * one. A removed user is thus refused at most that long after. When LDAP cannot answer (refused, timed out, the
 * bind refused) the request is answered 503 like a Redis outage: nothing in Redis is touched.
 */
export class LdapDirectory implements UserDirectory {
  private readonly idle: Client[] = [];
  /** Whether the last attempt failed: an outage is logged once, when it starts, and once when it ends. */
  private down = false;

  constructor(
    private readonly redis: Store,
    private readonly config: LdapDirectoryConfig,
    private readonly log: Logger,
  ) {}

  async findByUpn(upn: string): Promise<DirectoryUser | undefined> {
    if (upn.length === 0 || upn.length > 320) return undefined;
    return this.cached(keys.ldapByUpn(upn), () => this.searchOne(this.config.attributes.userPrincipalName, upn));
  }

  async findById(id: string): Promise<DirectoryUser | undefined> {
    if (id.length === 0 || id.length > 320) return undefined;
    return this.cached(keys.ldapById(id), () => this.searchOne(this.config.attributes.id, id));
  }

  async list(): Promise<DirectoryUser[]> {
    const entries = await this.search(this.config.userFilter, 0);
    return entries.map((e) => this.toUser(e)).filter((u): u is DirectoryUser => u !== undefined);
  }

  /** Close the idle connections. */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((c) => c.unbind().catch(() => {})));
  }

  private async cached(key: string, load: () => Promise<DirectoryUser | undefined>): Promise<DirectoryUser | undefined> {
    const hit = await this.redis.get(key);
    if (hit !== null) return hit === '' ? undefined : (JSON.parse(hit) as DirectoryUser);
    const user = await load();
    const ttl = this.config.cacheTtlSeconds;
    // The user under both of their keys: the sign-in that looked them up by name next asks by id.
    const under = user ? new Set([key, keys.ldapByUpn(user.userPrincipalName), keys.ldapById(user.id)]) : [key];
    const value = user ? JSON.stringify(user) : '';
    await Promise.all([...under].map((k) => this.redis.set(k, value, 'EX', ttl)));
    return user;
  }

  private async searchOne(attribute: string, value: string): Promise<DirectoryUser | undefined> {
    // A size limit of 2 is enough to tell one entry from several.
    const entries = await this.search(`(&${this.config.userFilter}(${attribute}=${escapeFilterValue(value)}))`, 2);
    // Two entries with one name or id is a mistake in LDAP: nobody signs in as either rather than the wrong one.
    if (entries.length !== 1) {
      if (entries.length > 1) this.log.warn('ldap.ambiguous', { attribute, count: entries.length });
      return undefined;
    }
    const user = this.toUser(entries[0]!);
    // Compared here as LDAP matched it (case, spaces): only an exact id, or the name case-insensitively, counts.
    if (!user) return undefined;
    const same = attribute === this.config.attributes.id ? user.id === value : user.userPrincipalName.toLowerCase() === value.toLowerCase();
    return same ? user : undefined;
  }

  private toUser(entry: Entry): DirectoryUser | undefined {
    const a = this.config.attributes;
    const id = first(entry, a.id);
    const upn = first(entry, a.userPrincipalName);
    if (!id || !upn) return undefined;
    const groupDns = all(entry, this.config.groupAttribute);
    const roles = new Set<Role>();
    for (const dn of groupDns) {
      const role = this.config.roles[dn] ?? this.config.roles[groupName(dn)];
      if (role) roles.add(role);
    }
    const type = a.userType ? first(entry, a.userType) : undefined;
    const profile: Partial<Record<(typeof PROFILE_FIELDS)[number], unknown>> = {};
    for (const f of PROFILE_FIELDS) profile[f] = first(entry, a[f]);
    return {
      ...pickProfile(profile),
      id,
      userPrincipalName: upn,
      displayName: first(entry, a.displayName) ?? upn,
      userType: type?.toLowerCase() === 'guest' ? 'Guest' : 'Member',
      roles: [...roles],
      groups: groupDns.map(groupName),
    };
  }

  private async search(filter: string, sizeLimit: number): Promise<Entry[]> {
    const a = this.config.attributes;
    const attributes = [a.id, a.userPrincipalName, a.displayName, this.config.groupAttribute, ...(a.userType ? [a.userType] : []), ...PROFILE_FIELDS.map((f) => a[f])];
    const client = await this.take();
    try {
      const { searchEntries } = await client.search(this.config.searchBase, { scope: 'sub', filter, attributes, sizeLimit });
      this.give(client);
      if (this.down) {
        this.down = false;
        this.log.info('ldap.available', {});
      }
      return searchEntries;
    } catch (err) {
      // More than one match for a name is an answer (the size limit), not an outage.
      if (sizeLimit && err instanceof SizeLimitExceededError) {
        this.give(client);
        return [{ dn: '' }, { dn: '' }];
      }
      await client.unbind().catch(() => {});
      throw this.outage(err);
    }
  }

  private async take(): Promise<Client> {
    const idle = this.idle.pop();
    if (idle?.isConnected) return idle;
    if (idle) await idle.unbind().catch(() => {});
    const { url, timeoutMs } = this.config;
    const client = new Client({ url, timeout: timeoutMs, connectTimeout: timeoutMs });
    try {
      await client.bind(this.config.bindDN, this.config.bindPassword);
      return client;
    } catch (err) {
      await client.unbind().catch(() => {});
      throw this.outage(err);
    }
  }

  private give(client: Client): void {
    if (this.idle.length < this.config.poolSize) this.idle.push(client);
    else void client.unbind().catch(() => {});
  }

  /** An LDAP that cannot answer is an outage for the person signing in: 503, the cause in the log only. */
  private outage(err: unknown): ServiceUnavailableError {
    if (!this.down) this.log.warn('ldap.unavailable', { error: (err as Error).name, message: (err as Error).message });
    this.down = true;
    return new ServiceUnavailableError();
  }
}
