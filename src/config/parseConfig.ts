import { checkSchema } from '../checkSchema.js';
import type { UserSeed } from '../directory/UserSeed.js';
import { pickProfile } from '../directory/pickProfile.js';
import { ConfigError } from '../errors.js';
import { applyPolicyChanges, defaultTapPolicy, type TapPolicy } from '../tap/TapPolicy.js';
import type { AppConfig, ClientConfig, FederationDomain, Options } from './AppConfig.js';
import { ConfigSchema } from './ConfigSchema.js';
import { OptionsSchema } from './OptionsSchema.js';

const checkConfig = checkSchema(ConfigSchema);
const checkOptions = checkSchema(OptionsSchema, 'options');

/** Defaults of `options`, as OptionsSchema gives them. */
export const defaultOptions: Readonly<Options> = deepFreeze(checked(checkOptions({})));

function deepFreeze<T extends object>(o: T): Readonly<T> {
  for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(o);
}

function checked<T>(result: { ok: true; value: T } | { ok: false; field: string; message: string }): T {
  if (!result.ok) throw new ConfigError(result.field, result.message);
  return result.value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A URL whose protocol protects what crosses it (`https`, `ldaps`), or its plain twin (`http`, `ldap`) only on this
 * machine.
 */
function secureUrl(value: string, field: string, secure: 'https' | 'ldaps' = 'https'): URL {
  const plain = secure.slice(0, -1);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(field, 'must be a URL');
  }
  if (url.protocol !== `${secure}:` && !(url.protocol === `${plain}:` && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))) {
    throw new ConfigError(field, `must be an ${secure} URL (${plain} only for localhost)`);
  }
  return url;
}

/**
 * Validate a parsed config file and fill in defaults; throws ConfigError naming the first bad field. `env` gives
 * the LDAP bind password when the file does not (`LDAP_BIND_PASSWORD`).
 */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): AppConfig {
  if (!isObject(raw)) throw new ConfigError('config', 'must be a JSON object');
  if (raw.federation !== undefined && !isObject(raw.federation)) throw new ConfigError('federation.domains', 'must be an object keyed by domain');
  const config = checked(checkConfig(raw));

  const seen = new Set<string>();
  const users = config.users.map((u, i): UserSeed => {
    const k = u.userPrincipalName.toLowerCase();
    if (seen.has(k)) throw new ConfigError(`users[${i}].userPrincipalName`, `"${u.userPrincipalName}" appears twice`);
    seen.add(k);
    const guestOrigin = u.guestOrigin ?? (u.userType === 'Guest' ? 'internal' : undefined);
    return {
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName ?? u.userPrincipalName.split('@')[0]!,
      userType: u.userType,
      ...(guestOrigin ? { guestOrigin } : {}),
      roles: u.roles,
      groups: u.groups,
      ...pickProfile(u),
      ...(u.password !== undefined ? { password: u.password } : {}),
      ...(u.accountEnabled !== undefined ? { accountEnabled: u.accountEnabled } : {}),
    };
  });

  let tapPolicy: Partial<TapPolicy> = {};
  if (raw.tapPolicy !== undefined) {
    try {
      applyPolicyChanges({ ...defaultTapPolicy }, raw.tapPolicy as Record<string, unknown>);
    } catch (e) {
      throw new ConfigError('tapPolicy', (e as Error).message);
    }
    tapPolicy = raw.tapPolicy as Partial<TapPolicy>;
  }

  const domains: Record<string, FederationDomain> = {};
  for (const [domain, d] of Object.entries(config.federation.domains)) {
    // Plain HTTP would let anyone on the path forge sign-ins; it is only tolerable on this machine.
    const issuer = secureUrl(d.issuer, `federation.domains.${domain}.issuer`).href.replace(/\/$/, '');
    domains[domain.toLowerCase()] = { issuer, clientId: d.clientId, clientSecret: d.clientSecret, tokenEndpointAuthMethod: d.tokenEndpointAuthMethod, upnClaim: d.upnClaim };
  }

  const options = config.options;
  if (options.tapLockAfterFailures <= options.tapDelayAfterFailures) {
    throw new ConfigError('options.tapLockAfterFailures', 'must be greater than tapDelayAfterFailures');
  }
  if (options.tapLockAfterTotalFailures < options.tapLockAfterFailures) {
    throw new ConfigError('options.tapLockAfterTotalFailures', 'must be at least tapLockAfterFailures');
  }

  let securityEvents: AppConfig['securityEvents'];
  if (config.securityEvents) {
    // The tokens name users; over plain HTTP anyone on the path could read them.
    const url = secureUrl(config.securityEvents.url, 'securityEvents.url');
    securityEvents = { ...config.securityEvents, url: url.href, audience: config.securityEvents.audience ?? url.origin };
  }

  let directory: AppConfig['directory'];
  if (config.directory) {
    const bindPassword = config.directory.bindPassword ?? env.LDAP_BIND_PASSWORD;
    if (!bindPassword) throw new ConfigError('directory.bindPassword', 'is required (or set LDAP_BIND_PASSWORD)');
    // Users live in LDAP then: seeding some in Redis too would give two answers to who someone is.
    if (users.length) throw new ConfigError('users', 'must be empty with an LDAP directory (users are read from LDAP)');
    secureUrl(config.directory.url, 'directory.url', 'ldaps');
    directory = { ...config.directory, bindPassword };
  }

  const identifiers = new Set<string>();
  const resources = config.resources.map((r, i) => {
    if (!URL.canParse(r.identifier)) throw new ConfigError(`resources[${i}].identifier`, 'must be an absolute URL');
    // RFC 8707 (section 2): a resource indicator has no fragment.
    if (r.identifier.includes('#')) throw new ConfigError(`resources[${i}].identifier`, 'must not have a fragment');
    if (identifiers.has(r.identifier)) throw new ConfigError(`resources[${i}].identifier`, `"${r.identifier}" appears twice`);
    identifiers.add(r.identifier);
    // Those name what the person shares with the app, not what the app may do at an API.
    const oidc = r.scopes.find((s) => ['openid', 'offline_access', 'profile', 'email'].includes(s));
    if (oidc) throw new ConfigError(`resources[${i}].scopes`, `"${oidc}" is an OpenID Connect scope, not an API's`);
    return { ...r, scopes: [...new Set(r.scopes)] };
  });

  const branding = config.branding;
  for (const field of ['logoUrl', 'faviconUrl', 'cssUrl'] as const) {
    const value = branding[field];
    // A path on this server, or an https URL: its origin alone is added to the pages' CSP.
    if (value === undefined || (value.startsWith('/') && !value.startsWith('//'))) continue;
    try {
      branding[field] = secureUrl(value, `branding.${field}`).href;
    } catch {
      throw new ConfigError(`branding.${field}`, 'must be an https URL (http only for localhost) or a path on this server ("/…")');
    }
  }
  if (branding.helpUrl !== undefined && !/^(?:mailto|tel):/i.test(branding.helpUrl)) branding.helpUrl = secureUrl(branding.helpUrl, 'branding.helpUrl').href;
  if (branding.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: branding.timeZone });
    } catch {
      throw new ConfigError('branding.timeZone', `"${branding.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
    }
  }

  return {
    clients: config.clients as ClientConfig[],
    users,
    tapPolicy,
    federation: { domains },
    options,
    ...(securityEvents ? { securityEvents } : {}),
    ...(directory ? { directory } : {}),
    resources,
    branding,
  };
}
