import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { PERMISSIONS } from '../config/AppConfig.js';

const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'offline_access', 'profile', 'email']);

/**
 * Client credentials as Entra ID takes them: `<API>/.default` asks every permission granted to the application
 * (MSAL's documented form), `<API>/<permission>` and a bare Graph permission name ask that one; a scope that names
 * nothing here is `invalid_scope` rather than a token that can do nothing. `apis` maps each API identifier (the
 * admin API's and the config's `resources`) to what `.default` stands for there. The expanded scope is written back
 * to the request (idempotent), as oidc-provider's handler filters the asked scope by the resource's. Returns the
 * API the scopes name (the admin API or a declared resource; none for OpenID Connect scopes alone) and the scope.
 */
export function expandAppScope(
  ctx: KoaContextWithOIDC,
  apis: ReadonlyMap<string, readonly string[]>,
  adminApi: string,
): { resource?: string; scope?: string } {
  const params = ctx.oidc.params as { scope?: string } | undefined;
  const asked = (params?.scope ?? '').split(' ').filter(Boolean);
  const resources = new Set<string>();
  const scopes: string[] = [];
  const isPermission = (name: string) => (PERMISSIONS as readonly string[]).includes(name);
  for (const s of asked) {
    const slash = s.lastIndexOf('/');
    const api = slash > 0 ? s.slice(0, slash) : undefined;
    const name = slash > 0 ? s.slice(slash + 1) : s;
    // Bare: an OpenID Connect scope or an admin API permission; prefixed: a known API's, and at the admin API
    // `.default` or one of its application permissions.
    const known = api === undefined ? isPermission(name) || OIDC_SCOPES.has(name) : apis.has(api) && (api !== adminApi || name === '.default' || isPermission(name));
    if (!known) throw new errors.InvalidScope('requested scope is not known', s);
    if (api === undefined && OIDC_SCOPES.has(name)) {
      scopes.push(name);
      continue;
    }
    resources.add(api ?? adminApi);
    scopes.push(...(name === '.default' ? apis.get(api!)! : [name]));
  }
  if (resources.size > 1) throw new errors.InvalidScope('scopes of more than one API were requested', asked.join(' '));
  const unique = [...new Set(scopes)];
  if (params) params.scope = unique.length ? unique.join(' ') : undefined;
  const [resource] = resources;
  return { ...(resource ? { resource } : {}), ...(unique.length ? { scope: unique.join(' ') } : {}) };
}
