import { DELEGATED_PERMISSIONS, PERMISSIONS } from '../config/AppConfig.js';
import { GRAPH_PREFIX } from './graphRouter.js';
import type { Operation } from './Operation.js';
import { Catalogue } from '../i18n/Catalogue.js';
import type { Translator } from '../i18n/Translator.js';
import type { Schema } from './Schema.js';
import { schemas } from './schemas.js';

let english: Translator | undefined;
/** What a permission lets an application do, in the consent page's (English) words. */
const permissionWords = (permission: string) => (english ??= Catalogue.load().translator('en')).t(`permission.${permission}`);

/** Our schema subset as OpenAPI 3.1 (JSON Schema 2020-12): `nullable` becomes a `null` type. */
export function toJsonSchema(s: Schema): Record<string, unknown> {
  if ('$ref' in s) return { $ref: s.$ref };
  const { nullable, ...rest } = s as Schema & { nullable?: boolean };
  const out: Record<string, unknown> = { ...rest };
  if (nullable) {
    out.type = [s.type, 'null'];
    // JSON Schema checks `enum` on its own: a nullable enum must list null, or null fails it.
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  if (s.type === 'array') out.items = toJsonSchema(s.items);
  if (s.type === 'object') out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toJsonSchema(v)]));
  return out;
}

/** The OpenAPI 3.1 description of the admin API, built from the same operation table and schemas it runs on. */
export function openApiDocument(issuer: string, operations: Operation[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', maxLength: 400 },
      description: m[1] === 'user' ? 'The user\'s id or user principal name.' : undefined,
    }));
    const queryParams = Object.entries(op.query ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema: toJsonSchema(schema),
      description: schema.description,
    }));
    // Every operation can also meet the rate limits and a Redis outage.
    const all = {
      ...op.responses,
      429: op.responses[429] ?? { description: 'Too many requests: see Retry-After', schema: { $ref: '#/components/schemas/Error' } },
      503: op.responses[503] ?? { description: 'Storage briefly unavailable: see Retry-After', schema: { $ref: '#/components/schemas/Error' } },
    };
    const responses = Object.fromEntries(
      Object.entries(all).map(([status, r]) => [
        status,
        { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: toJsonSchema(r.schema) } } } : {}) },
      ]),
    );
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      description: `Who may call it: ${op.access}`,
      parameters: [...pathParams, ...queryParams],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(op.body) } } } } : {}),
      responses,
      security: [{ bearer: [] }, { oauth2: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'oidc-tap admin API',
      version: '1.0',
      description: 'Users, Temporary Access Passes, authentication methods, the TAP policy and the audit log, in the shapes of Microsoft Graph v1.0.',
    },
    servers: [{ url: `${issuer.replace(/\/$/, '')}${GRAPH_PREFIX}` }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([k, v]) => [k, toJsonSchema(v)])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An access token of this provider whose audience is this API.' },
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: `${issuer.replace(/\/$/, '')}/token`,
              scopes: Object.fromEntries(PERMISSIONS.map((p) => [p, `Microsoft Graph permission ${p}: ${permissionWords(p)}`])),
            },
            // On behalf of a signed-in person: only the scopes the client's `delegatedPermissions` allow, once the
            // person accepted them on the consent page; their role limits the rest.
            authorizationCode: {
              authorizationUrl: `${issuer.replace(/\/$/, '')}/auth`,
              tokenUrl: `${issuer.replace(/\/$/, '')}/token`,
              scopes: Object.fromEntries(DELEGATED_PERMISSIONS.map((p) => [p, `Delegated ${p}: ${permissionWords(p)}`])),
            },
          },
        },
      },
    },
  };
}
