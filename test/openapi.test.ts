import { readFileSync } from 'node:fs';
import type * as client from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/config/AppConfig.js';
import { graphOperations } from '../src/graph/graphOperations.js';
import { openApiDocument } from '../src/graph/openApiDocument.js';
import { useDeployment } from './support/deployment.js';
import { appToken } from './support/graph.js';
import { schemaErrors, sampleValue, type JsonSchema } from './support/jsonSchema.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { redeem, signIn } from './support/rp.js';
import { TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';

/**
 * Issue #4: every documented path answers as /openapi.json says. The walk reads the live document, calls every
 * operation with a token allowed to make it and with none, and checks each status and body against the document.
 */

const SECRET = 'walker-secret-0123456789-0123456789';
const ME = { upn: 'walker@contoso.com', password: 'walker password 0123' };
/** The second administrator of the two-person rule, who approves a pending TAP of an administrator. */
const APPROVER = { upn: 'approver@contoso.com', password: 'approver password 0123' };
/** The published docs/openapi.json names this issuer (scripts/openapi.ts). */
const PUBLISHED_ISSUER = 'https://idp.example.com';

let server: TestServer;
let rp: client.Configuration;
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [
          TEST_CLIENT,
          { client_id: 'walker-app', client_secret: SECRET, client_name: 'walker-app', redirect_uris: [], grant_types: ['client_credentials'], response_types: [], permissions: [...PERMISSIONS] },
        ],
        users: [
          ...TEST_USERS,
          { userPrincipalName: ME.upn, displayName: 'Walker', password: ME.password },
          { userPrincipalName: APPROVER.upn, displayName: 'Approver', password: APPROVER.password, roles: ['PrivilegedAuthenticationAdministrator'] },
          { userPrincipalName: 'privileged-subject@contoso.com', displayName: 'Privileged Subject', roles: ['AuthenticationAdministrator'] },
        ],
      }),
  },
  (d) => ({ server, rp } = d),
);

interface DocOperation {
  path: string;
  method: string;
  operationId: string;
  parameters: { name: string; in: 'path' | 'query'; schema: JsonSchema }[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: unknown;
}

async function call(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${server.url}/v1.0${path}`, {
    method: method.toUpperCase(),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

/** The document's operations, writes that create first and deletes last (deepest path first, the user itself at the very end). */
function operationsOf(doc: { paths: Record<string, Record<string, Omit<DocOperation, 'path' | 'method'>>> }): DocOperation[] {
  const rank: Record<string, number> = { post: 0, get: 1, patch: 2, delete: 3 };
  const depth = (p: string) => p.split('/').length;
  return Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, path, method })))
    .sort((a, b) => rank[a.method]! - rank[b.method]! || (a.method === 'delete' ? depth(b.path) - depth(a.path) : 0));
}

/** The documented response of `status`, and that status must be documented. */
function documented(op: DocOperation, status: number) {
  const r = op.responses[String(status)];
  expect(r, `${op.operationId}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`).toBeDefined();
  return r!;
}

function expectConforms(op: DocOperation, answer: Answer, components: Record<string, JsonSchema>) {
  const r = documented(op, answer.status);
  const schema = r.content?.['application/json']?.schema;
  if (!schema) {
    expect(answer.text, `${op.operationId} ${answer.status}: documented without a body`).toBe('');
    return;
  }
  expect(answer.contentType, `${op.operationId} ${answer.status}`).toMatch(/^application\/json/);
  expect(schemaErrors(schema, answer.json, components), `${op.operationId} ${answer.status}: ${answer.text.slice(0, 500)}`).toEqual([]);
}

describe('the OpenAPI document', () => {
  let doc: Record<string, unknown> & { paths: Record<string, Record<string, Omit<DocOperation, 'path' | 'method'>>>; components: { schemas: Record<string, JsonSchema> } };
  beforeAll(async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as typeof doc;
  });

  it('is the one the code generates, and the published docs/openapi.json is too (run `npm run openapi` after changing the API)', () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument(server.url, graphOperations))));
    const published = readFileSync(new URL('../docs/openapi.json', import.meta.url), 'utf8');
    expect(published, 'docs/openapi.json is stale: run `npm run openapi`').toBe(`${JSON.stringify(openApiDocument(PUBLISHED_ISSUER, graphOperations), null, 2)}\n`);
  });

  it('uses only the JSON Schema subset the checker knows, and every $ref resolves', () => {
    const { schemas } = doc.components;
    // Checking a value against each schema walks every keyword and $ref of it (unknown keywords throw).
    for (const [name, schema] of Object.entries(schemas)) expect(() => schemaErrors(schema, {}, schemas), name).not.toThrow();
    for (const op of operationsOf(doc)) {
      for (const r of Object.values(op.responses)) if (r.content) expect(() => schemaErrors(r.content!['application/json']!.schema, {}, schemas)).not.toThrow();
      for (const p of op.parameters) expect(() => schemaErrors(p.schema, 'x', schemas)).not.toThrow();
    }
  });

  it('is answered as documented: each operation with an allowed token, and with none', async () => {
    const components = doc.components.schemas;
    const app = await appToken(server.url, 'walker-app', SECRET, PERMISSIONS.join(' '));
    // Signed in with a password before any TAP exists, so the flow does not offer one first.
    const flow = await signIn(rp, ME.upn, { password: ME.password }, { scope: 'openid UserAuthMethod-TAP.ReadWrite.All', prompt: 'login' });
    const delegated = (await redeem(rp, flow)).access_token;
    const approverFlow = await signIn(rp, APPROVER.upn, { password: APPROVER.password }, { scope: 'openid UserAuthMethod-TAP.ReadWrite.All', prompt: 'login' });
    const approver = (await redeem(rp, approverFlow)).access_token;

    // The subject of the /users/{user} paths, created for the purpose; the walker is the /me user.
    const created = await call('post', '/users', app, { userPrincipalName: 'openapi-subject@contoso.com', displayName: 'OpenAPI Subject' });
    expect(created.status).toBe(201);
    const subject = (await server.plugin.directory.findById((created.json as { id: string }).id))!;
    const me = (await server.plugin.directory.findByUpn(ME.upn))!;
    expect((await call('post', `/users/${me.id}/authentication/temporaryAccessPassMethods`, app, {})).status).toBe(201);
    expect((await call('post', `/users/${subject.id}/authentication/temporaryAccessPassMethods`, app, {})).status).toBe(201);
    // approveTemporaryAccessPass needs a TAP waiting for approval: one of an administrator, issued by the application.
    const privileged = (await server.plugin.directory.findByUpn('privileged-subject@contoso.com'))!;
    expect((await call('post', `/users/${privileged.id}/authentication/temporaryAccessPassMethods`, app, {})).status).toBe(201);
    await seedPasskey(server.redis, subject.id, 'Subject passkey');
    await seedPasskey(server.redis, me.id, 'Walker passkey');

    /** Path parameters, resolved at call time: a POST of a TAP replaces the TAP and its id. */
    async function fill(path: string): Promise<string> {
      const owner = path.startsWith('/me/') ? me : path.endsWith('/approve') ? privileged : subject;
      const values: Record<string, () => Promise<string>> = {
        user: async () => owner.id,
        tapId: async () => (await server.plugin.taps.get(owner))!.id,
        id: async () => (await server.plugin.passkeys.list(owner.id))[0]!.id,
      };
      let filled = path;
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        const value = values[name!];
        expect(value, `no value for path parameter {${name}}`).toBeDefined();
        filled = filled.replace(`{${name}}`, encodeURIComponent(await value!()));
      }
      return filled;
    }

    let n = 0;
    const unique = () => `${Date.now().toString(36)}-${n++}`;
    const exercised: string[] = [];
    const bodies: string[] = [];
    for (const op of operationsOf(doc)) {
      const path = await fill(op.path);

      const anonymous = await call(op.method, path);
      expect(anonymous.status, `${op.operationId} without a token`).toBe(401);
      expectConforms(op, anonymous, components);
      expect(schemaErrors({ $ref: '#/components/schemas/Error' }, anonymous.json, components)).toEqual([]);

      let body: unknown;
      if (op.requestBody) {
        const schema = op.requestBody.content['application/json']?.schema;
        expect(schema, `${op.operationId}: requestBody without application/json`).toBeDefined();
        body = sampleValue(schema!, components, unique);
        expect(schemaErrors(schema!, body, components), `${op.operationId}: the sample body ${JSON.stringify(body)}`).toEqual([]);
        bodies.push(op.operationId);
      }
      // An approval is a second person's, never an application's.
      const token = op.path.startsWith('/me/') ? delegated : op.operationId === 'approveTemporaryAccessPass' ? approver : app;
      const answer = await call(op.method, path, token, body);
      expect(answer.status, `${op.operationId} ${op.method.toUpperCase()} ${path}: ${answer.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(answer.status, `${op.operationId}: ${answer.text.slice(0, 300)}`).toBeLessThan(300);
      expectConforms(op, answer, components);

      // The documented query options: a page of one must answer as documented too.
      if (op.parameters.some((p) => p.in === 'query' && p.name === '$top')) {
        const paged = await call(op.method, `${path}?$top=1`, token);
        expectConforms(op, paged, components);
      }
      exercised.push(op.operationId);
    }

    const all = operationsOf(doc).map((o) => o.operationId);
    expect(exercised.sort()).toEqual([...all].sort());
    expect(new Set(all).size).toBe(graphOperations.length);
    expect(bodies.sort()).toEqual(operationsOf(doc).filter((o) => o.requestBody).map((o) => o.operationId).sort());
    // The deletes did happen.
    expect(await server.plugin.directory.findById(subject.id)).toBeUndefined();
    expect(await server.plugin.passkeys.list(me.id)).toEqual([]);
    expect(await server.plugin.taps.get(me)).toBeUndefined();
  });
});
