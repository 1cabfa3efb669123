import { BadRequestError } from '../errors.js';
import type { Schema } from './Schema.js';
import { schemas } from './schemas.js';

/** Graph's type of each schema, for the error that names a property the type lacks. */
const GRAPH_TYPES: Record<string, string> = {
  User: 'user',
  TemporaryAccessPassMethod: 'temporaryAccessPassAuthenticationMethod',
  Fido2Method: 'fido2AuthenticationMethod',
  AuthenticationMethod: 'authenticationMethod',
  TemporaryAccessPassPolicy: 'temporaryAccessPassAuthenticationMethodConfiguration',
  DirectoryObject: 'directoryObject',
  DirectoryAudit: 'directoryAudit',
  SignIn: 'signIn',
};

/**
 * `$select`: the properties asked for (checked against the item schema, ignoring case as Graph does), and the
 * `@odata.*` annotations and any `keep` (an expanded navigation) besides; each item of a collection the same way.
 */
export function selectProperties(body: Record<string, unknown>, select: string, item: string, keep: string[], directory: boolean): { body: Record<string, unknown>; properties: string[] } {
  const known = Object.keys((schemas[item] as { properties?: Record<string, Schema> }).properties ?? {});
  const properties = select.split(',').map((p) => p.trim());
  const canonical = properties.map((p) => {
    const k = known.find((n) => n.toLowerCase() === p.toLowerCase() && !n.startsWith('@'));
    if (k) return k;
    const message = `Could not find a property named '${p.slice(0, 100)}' on type 'microsoft.graph.${GRAPH_TYPES[item] ?? item}'.`;
    throw new BadRequestError(directory ? message : `Parsing OData Select and Expand failed: ${message}`, undefined, directory ? 'Request_BadRequest' : 'BadRequest');
  });
  const wanted = new Set([...canonical, ...keep].map((k) => k.toLowerCase()));
  const pick = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith('@odata.') || wanted.has(k.toLowerCase())));
  const selected = Array.isArray(body.value) ? { ...body, value: (body.value as Record<string, unknown>[]).map(pick) } : pick(body);
  return { body: selected, properties: canonical };
}
