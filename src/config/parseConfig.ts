import { ROLES } from '../directory/Role.js';
import type { UserSeed } from '../directory/UserSeed.js';
import { checkSchema } from '../checkSchema.js';
import { ConfigError } from '../errors.js';
import type { SecurityEventsConfig } from '../events/SecurityEventsConfig.js';
import { SecurityEventsSchema } from '../events/SecurityEventsSchema.js';
import { applyPolicyChanges, defaultTapPolicy, type TapPolicy } from '../tap/TapPolicy.js';
import {
  DELEGATED_PERMISSIONS,
  PERMISSIONS,
  type AppConfig,
  type ClientConfig,
  type FederationDomain,
  type Options,
} from './AppConfig.js';
import { OptionsSchema } from './OptionsSchema.js';

const checkOptions = checkSchema(OptionsSchema, 'options');

/** Defaults of `options`, as OptionsSchema gives them. */
export const defaultOptions: Readonly<Options> = deepFreeze(options({}));

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

const UPN = /^[^\s@]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z0-9-]{1,63}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(field, 'must be a non-empty string');
  return v;
}

function strings(v: unknown, field: string, allowed?: readonly string[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConfigError(field, 'must be an array of strings');
  return v.map((s, i) => {
    const value = str(s, `${field}[${i}]`);
    if (allowed && !allowed.includes(value)) {
      throw new ConfigError(`${field}[${i}]`, `"${value}" is not one of ${allowed.join(', ')}`);
    }
    return value;
  });
}

function parseUser(u: unknown, i: number): UserSeed {
  const at = `users[${i}]`;
  if (!isObject(u)) throw new ConfigError(at, 'must be an object');
  const upn = str(u.userPrincipalName, `${at}.userPrincipalName`);
  if (!UPN.test(upn)) throw new ConfigError(`${at}.userPrincipalName`, `"${upn}" is not of the form name@domain`);
  const userType = u.userType ?? 'Member';
  if (userType !== 'Member' && userType !== 'Guest') {
    throw new ConfigError(`${at}.userType`, 'must be "Member" or "Guest"');
  }
  const guestOrigin = u.guestOrigin ?? (userType === 'Guest' ? 'internal' : undefined);
  if (guestOrigin !== undefined && guestOrigin !== 'internal' && guestOrigin !== 'external') {
    throw new ConfigError(`${at}.guestOrigin`, 'must be "internal" or "external"');
  }
  if (u.password !== undefined) str(u.password, `${at}.password`);
  return {
    userPrincipalName: upn,
    displayName: u.displayName === undefined ? upn.split('@')[0]! : str(u.displayName, `${at}.displayName`),
    userType,
    ...(guestOrigin ? { guestOrigin } : {}),
    roles: strings(u.roles, `${at}.roles`, ROLES) as UserSeed['roles'],
    groups: strings(u.groups, `${at}.groups`),
    ...(typeof u.password === 'string' ? { password: u.password } : {}),
  };
}

function parseClient(c: unknown, i: number): ClientConfig {
  const at = `clients[${i}]`;
  if (!isObject(c)) throw new ConfigError(at, 'must be an object');
  str(c.client_id, `${at}.client_id`);
  const permissions = strings(c.permissions, `${at}.permissions`, PERMISSIONS);
  const delegatedPermissions = strings(c.delegatedPermissions, `${at}.delegatedPermissions`, DELEGATED_PERMISSIONS);
  return { ...c, permissions, delegatedPermissions } as ClientConfig;
}

function parseFederation(f: unknown): AppConfig['federation'] {
  if (f === undefined) return { domains: {} };
  if (!isObject(f) || (f.domains !== undefined && !isObject(f.domains))) {
    throw new ConfigError('federation.domains', 'must be an object keyed by domain');
  }
  const domains: Record<string, FederationDomain> = {};
  for (const [domain, d] of Object.entries((f.domains ?? {}) as Record<string, unknown>)) {
    const at = `federation.domains.${domain}`;
    if (!isObject(d)) throw new ConfigError(at, 'must be an object');
    const method = d.tokenEndpointAuthMethod ?? 'client_secret_basic';
    if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
      throw new ConfigError(`${at}.tokenEndpointAuthMethod`, 'must be client_secret_basic or client_secret_post');
    }
    let issuer: string;
    try {
      issuer = new URL(str(d.issuer, `${at}.issuer`)).href.replace(/\/$/, '');
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`${at}.issuer`, 'must be a URL');
    }
    // Plain HTTP would let anyone on the path forge sign-ins; it is only tolerable on this machine.
    const { protocol, hostname } = new URL(issuer);
    if (protocol !== 'https:' && !(protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname))) {
      throw new ConfigError(`${at}.issuer`, 'must be an https URL (http only for localhost)');
    }
    domains[domain.toLowerCase()] = {
      issuer,
      clientId: str(d.clientId, `${at}.clientId`),
      clientSecret: str(d.clientSecret, `${at}.clientSecret`),
      tokenEndpointAuthMethod: method,
      upnClaim: d.upnClaim === undefined ? 'email' : str(d.upnClaim, `${at}.upnClaim`),
    };
  }
  return { domains };
}

/** `options`: OptionsSchema fills in each default, down to each rate limit's fields, and names a bad field. */
function options(o: unknown): Options {
  const checked = checkOptions(o ?? {});
  if (!checked.ok) throw new ConfigError(checked.field, checked.message);
  const out = checked.value;
  if (out.tapLockAfterFailures <= out.tapDelayAfterFailures) {
    throw new ConfigError('options.tapLockAfterFailures', 'must be greater than tapDelayAfterFailures');
  }
  if (out.tapLockAfterTotalFailures < out.tapLockAfterFailures) {
    throw new ConfigError('options.tapLockAfterTotalFailures', 'must be at least tapLockAfterFailures');
  }
  return out;
}


const checkSecurityEvents = checkSchema(SecurityEventsSchema, 'securityEvents');

/** `securityEvents`: SecurityEventsSchema checks it and fills in its defaults; the URL's scheme is checked here. */
function parseSecurityEvents(s: unknown): SecurityEventsConfig {
  const checked = checkSecurityEvents(s);
  if (!checked.ok) throw new ConfigError(checked.field, checked.message);
  let url: URL;
  try {
    url = new URL(checked.value.url);
  } catch {
    throw new ConfigError('securityEvents.url', 'must be a URL');
  }
  // The tokens name users; over plain HTTP anyone on the path could read them.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))) {
    throw new ConfigError('securityEvents.url', 'must be an https URL (http only for localhost)');
  }
  return { ...checked.value, url: url.href, audience: checked.value.audience ?? url.origin };
}

/** Validate a parsed config file and fill in defaults; throws ConfigError naming the first bad field. */
export function parseConfig(raw: unknown): AppConfig {
  if (!isObject(raw)) throw new ConfigError('config', 'must be a JSON object');
  const known = new Set(['clients', 'users', 'tapPolicy', 'federation', 'options', 'securityEvents', '$comment']);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new ConfigError(k, 'is not a known config section');
  if (raw.clients !== undefined && !Array.isArray(raw.clients)) throw new ConfigError('clients', 'must be an array');
  if (raw.users !== undefined && !Array.isArray(raw.users)) throw new ConfigError('users', 'must be an array');
  const users = ((raw.users ?? []) as unknown[]).map(parseUser);
  const seen = new Set<string>();
  users.forEach((u, i) => {
    const k = u.userPrincipalName.toLowerCase();
    if (seen.has(k)) throw new ConfigError(`users[${i}].userPrincipalName`, `"${u.userPrincipalName}" appears twice`);
    seen.add(k);
  });
  let tapPolicy: Partial<TapPolicy> = {};
  if (raw.tapPolicy !== undefined) {
    if (!isObject(raw.tapPolicy)) throw new ConfigError('tapPolicy', 'must be an object');
    try {
      applyPolicyChanges({ ...defaultTapPolicy }, raw.tapPolicy);
    } catch (e) {
      throw new ConfigError('tapPolicy', (e as Error).message);
    }
    tapPolicy = raw.tapPolicy as Partial<TapPolicy>;
  }
  return {
    clients: ((raw.clients ?? []) as unknown[]).map(parseClient),
    users,
    tapPolicy,
    federation: parseFederation(raw.federation),
    options: options(raw.options),
    ...(raw.securityEvents !== undefined ? { securityEvents: parseSecurityEvents(raw.securityEvents) } : {}),
  };
}
