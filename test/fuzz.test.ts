import http from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/config/AppConfig.js';
import type { User } from '../src/directory/User.js';
import { useDeployment } from './support/deployment.js';
import { appToken, apiClient } from './support/graph.js';
import { resolveRef, sampleValue, schemaErrors, type JsonSchema } from './support/jsonSchema.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { redeem, signIn } from './support/rp.js';
import { TEST_CLIENT, TEST_USERS, testConfig, type TestServer } from './support/testServer.js';
import { byTest } from './support/byTest.js';

/**
 * Issue #4: a few thousand malformed requests to every operation of the admin API (bad JSON, huge bodies, wrong
 * types, path tricks, unicode UPNs, bad query options, bad tokens). Every one is meant to be refused: no 5xx,
 * every 4xx in Graph's envelope, the server healthy afterwards, and Redis exactly as it was.
 */

const SECRET = 'fuzz-secret-0123456789-0123456789';
const WALKER = { upn: 'walker@contoso.com', password: 'walker password 0123' };
const SUBJECT = 'fuzz-subject@contoso.com';
/** Random requests on top of the systematic ones (each defect value once per operation). */
const RANDOM_REQUESTS = 3000;
const CONCURRENCY = 20;
const MAX_BODY = 16 * 1024;

const app = (client_id: string, permissions: string[]) => apiClient(client_id, SECRET, permissions);

let server: TestServer;
let redisUrl: string;
let rp: Parameters<typeof signIn>[0];
useDeployment(
  {
    config: () =>
      testConfig({
        clients: [TEST_CLIENT, app('fuzz-app', [...PERMISSIONS]), app('reader-app', ['Policy.Read.All'])],
        users: [...TEST_USERS, { userPrincipalName: WALKER.upn, displayName: 'Walker', password: WALKER.password }, { userPrincipalName: SUBJECT, displayName: 'Fuzz Subject' }],
      }),
  },
  (d) => ({ server, rp, redisUrl } = { server: d.server, rp: d.rp, redisUrl: d.redis.url }),
);

/** mulberry32: the same requests on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

interface DocOperation {
  path: string;
  method: string;
  operationId: string;
  parameters: { name: string; in: 'path' | 'query'; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** A request under construction: each defect edits it. */
interface Spec {
  op: DocOperation;
  method: string;
  params: Record<string, string>;
  shape?: (path: string) => string;
  query: string[];
  headers: Record<string, string>;
  body?: Buffer;
  chunked?: boolean;
  defects: string[];
}

interface FuzzRequest {
  operationId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  chunked?: boolean;
  description: string;
  /** A GET may find something with a trick we did not foresee; any other 2xx is a refused request that was not. */
  mayFind: boolean;
}

interface Outcome {
  request: FuzzRequest;
  status?: number;
  text?: string;
  error?: string;
}

/** Every key of Redis (but the rate limits') with its type, value and whether it expires: what "unchanged" means. */
async function snapshot(redis: Redis): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      // Rate-limit buckets count every request, refused or not: they are meant to change.
      if (key.startsWith('rl:')) continue;
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = Object.entries(await redis.hgetall(key)).sort();
      else if (type === 'set') value = (await redis.smembers(key)).sort();
      else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      else value = await redis.dump(key);
      const expires = (await redis.pttl(key)) >= 0;
      out.set(key, JSON.stringify({ type, value, expires }));
    }
  } while (cursor !== '0');
  return out;
}

function send(port: number, agent: http.Agent, r: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ request: r, status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ request: r, error: `response: ${e.message}` }));
      });
    } catch (e) {
      resolve({ request: r, error: `could not send: ${(e as Error).message}` });
      return;
    }
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ request: r, error: e.code ?? e.message }));
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    if (r.body && r.chunked) {
      for (let i = 0; i < r.body.length; i += 4096) req.write(r.body.subarray(i, i + 4096));
      req.end();
    } else {
      req.end(r.body);
    }
  });
}

const enc = encodeURIComponent;

/** Values of a path parameter that name nothing here, or cannot be read at all. */
const PARAM_TRICKS: readonly string[] = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..%2F..%2Fhealthz',
  '%2e%2e%2f%2e%2e%2fopenapi.json',
  '%00',
  'jdoe%40contoso.com%00',
  '%zz',
  '%',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '%u002e',
  'a'.repeat(401),
  'b'.repeat(5000),
  enc('ü@contoso.com'),
  enc('u\u0308@contoso.com'),
  enc('admin\u200f@contoso.com'),
  enc('\u202eadmin@contoso.com'),
  enc('\u{1F600}@contoso.com'),
  enc('ａｄｍｉｎ@contoso.com'),
  enc('admin@contoso.com '),
  enc("' OR '1'='1"),
  enc('*'),
  enc('{u:x}'),
  enc('user:{u:00000000-0000-0000-0000-000000000000}'),
  'a%2Fb',
  '%2561dmin%40contoso.com',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  'constructor',
  '__proto__',
];

/** Ways to bend a whole path so that it no longer names an operation's resource. */
const SHAPES: readonly [string, (p: string) => string][] = [
  ['double slash', (p) => p.replace('/v1.0/', '/v1.0//')],
  ['dot segment', (p) => p.replace('/v1.0/', '/v1.0/./')],
  ['dot-dot segment', (p) => p.replace('/v1.0/', '/v1.0/zz/../')],
  ['encoded dot-dot', (p) => p.replace('/v1.0/', '/v1.0/%2e%2e/')],
  ['upper case', (p) => p.replace(/^\/v1\.0\/(\w+)/, (_m, s: string) => `/v1.0/${s.toUpperCase()}`)],
  ['extra segment', (p) => `${p}/zz-extra`],
  ['encoded slash', (p) => `${p}%2F`],
  ['matrix parameter', (p) => `${p};jsessionid=x`],
  ['null byte', (p) => `${p}%00`],
  ['backslash', (p) => p.replace('/v1.0/', '/v1.0/\\')],
];

/** Query options no operation accepts this way. */
const QUERY_EVERYWHERE: readonly string[] = ['$orderby=displayName', '$select=id', '$expand=manager', '$count=true', '$search=%22x%22', '$format=json', '$=1', '$$top=1', '$TOP=1', '$unknown=1', '%24orderby=x'];
const QUERY_WITH_TOP: readonly string[] = [
  '$top=-1',
  '$top=0',
  '$top=1000',
  '$top=abc',
  '$top=1.5',
  '$top=1e3',
  '$top=',
  '$top=99999999999',
  '$top=%zz',
  '$top=1&$top=2',
  '%24top=-1',
  `$top=${enc('٣')}`,
  `$filter=${'a'.repeat(1001)}`,
  `$filter=${enc('id gt 3')}`,
  `$filter=${enc("userPrincipalName eq 'unterminated")}`,
  `$filter=${enc('startswith(')}`,
  `$filter=${enc("displayName eq 'x' or displayName eq 'y'")}`,
  `$filter=${enc("userPrincipalName ne 'x'")}`,
  `$filter=${enc("endswith(displayName,'x')")}`,
  `$filter=${enc("' or 1 eq 1 or '")}`,
  `$filter=${enc('and')}`,
  `$filter=${enc("(displayName eq 'x')")}`,
  `$filter=${enc("displayName eq 'ü' and \u{1F600}")}`,
  '$filter=%00',
  '$filter=a&$filter=b',
  `$skiptoken=${'a'.repeat(2001)}`,
  '$skiptoken=!!!',
];
const QUERY_WITHOUT: readonly string[] = ['$top=1', '$filter=x', '$skiptoken=x', '$top=%zz'];

const CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'application/json-patch+json',
  'application/merge-patch+json',
  'multipart/form-data; boundary=x',
  'application/json, text/plain',
  'application/jsonp',
  'text/json',
];

/** Request bodies that are not JSON at all, or not a JSON object. */
const BAD_JSON: readonly (string | Buffer)[] = [
  '',
  '{',
  '{"a":',
  "{'displayName':'x'}",
  '[',
  'nul',
  'undefined',
  '{"a":1,}',
  '{"a":01}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '\u0000',
  '\ufeff{}',
  '{"a":"\\u12"}',
  Buffer.from([0x7b, 0xff, 0x7d]),
  `${'['.repeat(8000)}${']'.repeat(8000)}`,
  `${'{"a":'.repeat(2700)}1${'}'.repeat(2700)}`,
  '[]',
  '[{}]',
  '1',
  '1e400',
  '"x"',
  'true',
  'null',
];

/** Property names a request body must not sneak past validation, inherited ones included. */
const UNKNOWN_PROPERTIES: readonly string[] = ['unknownProperty', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', '', 'DISPLAYNAME'];

/**
 * Values that break `schema`, each with a label; `semantic` ones conform to the schema but are refused by a rule
 * of the live deployment (the TAP policy's lifetime range).
 */
function wrongValues(schema: JsonSchema, components: Record<string, JsonSchema>, sample: unknown, at: string): { label: string; value: unknown; semantic?: boolean }[] {
  const s = typeof schema.$ref === 'string' ? resolveRef(schema.$ref, components) : schema;
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  const out: { label: string; value: unknown; semantic?: boolean }[] = [];
  const add = (label: string, value: unknown, semantic = false) => out.push({ label: `${at}: ${label}`, value, ...(semantic ? { semantic } : {}) });
  if (!types.includes('string')) add('a string', 'x');
  if (!types.includes('integer')) add('a number', 12345);
  add('a fraction', 1.5);
  if (!types.includes('boolean')) add('a boolean', true);
  if (!types.includes('null')) add('null', null);
  if (!types.includes('array')) add('an array', ['x']);
  if (!types.includes('object')) add('an object', { $ne: '' });

  if (types.includes('string')) {
    const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
    if (max !== undefined) {
      add('too long', 'x'.repeat(max + 1));
      add('too long in ü', 'ü'.repeat(max + 1));
      add('too long in emoji', '\u{1F600}'.repeat(max + 1));
    }
    add('huge', 'y'.repeat(15_000));
    if (typeof s.minLength === 'number' && s.minLength > 0) add('empty', '');
    if (Array.isArray(s.enum)) {
      const first = String(s.enum[0]);
      add('not in the enum', 'not-in-enum');
      if (first.toUpperCase() !== first) add('enum in upper case', first.toUpperCase());
      add('enum with a null byte', `${first}\u0000`);
      add('enum with a space', ` ${first}`);
    }
    if (s.format === 'date-time') for (const v of ['tomorrow', '2026-11-23', '23/11/2026 09:00', '2026-11-23T09:00:00', '2026-11-23T25:00:00Z', '2026-11-23T09:00:00+25:99x']) add(`date ${v}`, v);
    if (s.format === 'uuid') for (const v of ['not-a-uuid', '00000000-0000-0000-0000-00000000000g']) add(`uuid ${v}`, v);
    if (s.format === 'email') {
      for (const v of ['no-at-sign', 'a@b', '@contoso.com', 'x@cöntoso.com', 'ü@cöntoso.com', 'x@contoso.com\u202e', 'x@\u{1F600}.com', '\u{1F600}', 'a b@contoso.com', 'x@contoso.com ', 'x@contoso..', 'ü@contoso']) {
        add(`UPN ${JSON.stringify(v)}`, v);
      }
    }
    if (typeof s.pattern === 'string') {
      for (const v of ['a\u0000b', 'line\nbreak', '\u0007', '\u009f', 'a b', 'ü', '\u{1F600}', '../x', 'a/b']) {
        if (!new RegExp(s.pattern, 'u').test(v)) add(`pattern ${JSON.stringify(v)}`, v);
      }
    }
  }
  if (types.includes('integer')) {
    add('a numeric string', '60');
    add('a huge fraction', 60.5);
    if (typeof s.minimum === 'number') add('below the minimum', s.minimum - 1);
    if (typeof s.maximum === 'number') {
      add('above the maximum', s.maximum + 1);
      add('beyond safe integers', Number.MAX_SAFE_INTEGER * 4);
    }
    if (s.minimum === undefined && s.maximum === undefined) {
      // TemporaryAccessPassCreate.lifetimeInMinutes: bounded by the live policy (10–480 here), not the schema.
      for (const v of [0, -5, 9, 481, 100_000_000]) add(`outside the policy: ${v}`, v, true);
    }
  }
  if (types.includes('boolean')) for (const v of ['true', 0, 1]) add(`not a boolean: ${JSON.stringify(v)}`, v);
  if (types.includes('array')) {
    const items = s.items as JsonSchema;
    const item = sampleValue(items, components, () => 'item');
    if (typeof s.maxItems === 'number') add('too many items', Array.from({ length: s.maxItems + 1 }, () => item));
    add('a null item', [null]);
    for (const w of wrongValues(items, components, item, `${at}[0]`)) out.push({ ...w, value: [w.value] });
  }
  if (types.includes('object')) {
    const base = (typeof sample === 'object' && sample !== null ? sample : {}) as Record<string, unknown>;
    for (const name of (s.required ?? []) as string[]) {
      const { [name]: _dropped, ...rest } = base;
      add(`without required ${name}`, rest);
    }
    if (s.additionalProperties === false) for (const name of UNKNOWN_PROPERTIES) add(`unknown property ${JSON.stringify(name)}`, { ...base, [name]: { x: 1 } });
    for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
      const valid = name in base ? base[name] : sampleValue(property, components, () => 'nested');
      for (const w of wrongValues(property, components, valid, `${at}.${name}`)) out.push({ ...w, value: { ...base, [name]: w.value } });
    }
  }
  return out;
}

describe('the admin API under fuzzing', () => {
  const outcomes: Outcome[] = [];
  let before: Map<string, string>;
  let after: Map<string, string>;
  let snapshotter: Redis;
  let tokens: { app: string; delegated: string };
  let operationIds: string[] = [];

  beforeAll(async () => {
    snapshotter = new Redis(redisUrl, { lazyConnect: false });
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Omit<DocOperation, 'path' | 'method'>>>;
      components: { schemas: Record<string, JsonSchema> };
    };
    const components = doc.components.schemas;
    const ops: DocOperation[] = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, path, method })));
    operationIds = ops.map((o) => o.operationId);

    // Every token and record the fuzz uses exists before the first snapshot.
    const app = await appToken(server.url, 'fuzz-app', SECRET, PERMISSIONS.join(' '));
    const reader = await appToken(server.url, 'reader-app', SECRET, 'Policy.Read.All');
    const flow = await signIn(rp, WALKER.upn, { password: WALKER.password }, { scope: 'openid UserAuthMethod-TAP.ReadWrite.All', prompt: 'login' });
    const delegated = (await redeem(rp, flow)).access_token;
    const plain = (await redeem(rp, await signIn(rp, WALKER.upn, { password: WALKER.password }, { scope: 'openid' }))).access_token;
    tokens = { app, delegated };
    const subject = (await server.plugin.directory.findByUpn(SUBJECT))!;
    const walker = (await server.plugin.directory.findByUpn(WALKER.upn))!;
    const subjectTap = await server.plugin.taps.create(subject, {}, byTest);
    const walkerTap = await server.plugin.taps.create(walker, {}, byTest);
    const subjectKey = await seedPasskey(server.redis, subject.id, 'Subject passkey');
    const walkerKey = await seedPasskey(server.redis, walker.id, 'Walker passkey');

    const rnd = prng(0x5eed);
    let n = 0;
    const unique = () => `fuzz${n++}`;
    const owner = (op: DocOperation): User => (op.path.startsWith('/me/') ? walker : subject);
    const validParams = (op: DocOperation): Record<string, string> => {
      const who = owner(op);
      return {
        user: rnd.next() < 0.5 ? subject.id : enc(subject.userPrincipalName),
        tapId: who === walker ? walkerTap.id : subjectTap.id,
        id: who === walker ? walkerKey.id : subjectKey.id,
      };
    };
    const bodySchema = (op: DocOperation) => op.requestBody?.content['application/json']?.schema;
    const validBody = (op: DocOperation) => Buffer.from(JSON.stringify(sampleValue(bodySchema(op)!, components, unique)));
    const methodsOf = (path: string) => Object.keys(doc.paths[path]!);

    const base = (op: DocOperation): Spec => ({
      op,
      method: op.method.toUpperCase(),
      params: validParams(op),
      query: [],
      headers: {
        authorization: `Bearer ${op.path.startsWith('/me/') ? delegated : app}`,
        ...(bodySchema(op) ? { 'content-type': 'application/json' } : {}),
      },
      ...(bodySchema(op) ? { body: validBody(op) } : {}),
      defects: [],
    });

    /** The defects that apply to an operation, each a list of edits of which any one makes the request refused. */
    type Edit = (s: Spec) => void;
    const categories = (op: DocOperation): Record<string, Edit[]> => {
      const me = op.path.startsWith('/me/');
      const setAuth = (label: string, value: string | undefined): Edit => (s) => {
        if (value === undefined) delete s.headers.authorization;
        else s.headers.authorization = value;
        s.defects.push(`token: ${label}`);
      };
      const token: Edit[] = [
        setAuth('absent', undefined),
        setAuth('scheme only', 'Bearer'),
        setAuth('empty', 'Bearer '),
        setAuth('lower-case scheme', `bearer ${app}`),
        setAuth('basic', 'Basic dXNlcjpwYXNzd29yZA=='),
        setAuth('too long', `Bearer ${'a'.repeat(5000)}`),
        setAuth('one character changed', `Bearer ${app.slice(0, -1)}${app.endsWith('A') ? 'B' : 'A'}`),
        setAuth('trailing dot', `Bearer ${app}.`),
        setAuth('random', `Bearer ${Buffer.from(Array.from({ length: 32 }, () => rnd.int(256))).toString('base64')}`),
        setAuth('two tokens', `Bearer ${app}, Bearer ${app}`),
        setAuth('latin-1', 'Bearer \u00fc\u00e9'),
        setAuth('a JWT-looking string', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.'),
        setAuth('userinfo audience', `Bearer ${plain}`),
        ...(op.operationId === 'getTemporaryAccessPassPolicy' ? [] : [setAuth('Policy.Read.All only', `Bearer ${reader}`)]),
        setAuth(me ? 'an application on /me' : 'a user without roles', `Bearer ${me ? app : delegated}`),
      ];
      const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const param: Edit[] = names.flatMap((name) =>
        PARAM_TRICKS.map((trick) => (s: Spec) => {
          s.params[name] = trick;
          s.defects.push(`{${name}} = ${trick.length > 60 ? `${trick.slice(0, 20)}… (${trick.length})` : trick}`);
        }),
      );
      const shape: Edit[] = SHAPES.map(([label, f]) => (s: Spec) => {
        s.shape = f;
        s.defects.push(`path: ${label}`);
      });
      const allowed = methodsOf(op.path);
      const method: Edit[] = ['PUT', 'OPTIONS', 'HEAD', 'POST', 'GET', 'PATCH', 'DELETE']
        .filter((m) => !allowed.includes(m.toLowerCase()))
        .map((m) => (s: Spec) => {
          s.method = m;
          s.defects.push(`method ${m}`);
        });
      const hasTop = op.parameters.some((p) => p.in === 'query' && p.name === '$top');
      const query: Edit[] = [...QUERY_EVERYWHERE, ...(hasTop ? QUERY_WITH_TOP : QUERY_WITHOUT)].map((q) => (s: Spec) => {
        s.query.push(q);
        s.defects.push(`query ${q.length > 60 ? `${q.slice(0, 20)}… (${q.length})` : q}`);
      });
      const out: Record<string, Edit[]> = { token, shape, method, query };
      if (param.length) out.param = param;
      const schema = bodySchema(op);
      if (schema) {
        const setBody = (label: string, body: Buffer | string, chunked = false): Edit => (s) => {
          s.body = Buffer.from(body);
          s.chunked = chunked;
          s.defects.push(`body: ${label}`);
        };
        out.json = BAD_JSON.map((b) => setBody(`not a JSON object: ${JSON.stringify(b.toString().slice(0, 20))}${b.length > 20 ? `… (${b.length})` : ''}`, b));
        // Any proper prefix of an object's JSON is not JSON.
        out.truncated = [0.1, 0.5, 0.9, 0.99].map((f) => (s: Spec) => {
          const text = validBody(op);
          setBody(`truncated at ${f}`, text.subarray(0, Math.floor(text.length * f)))(s);
        });
        const sample = sampleValue(schema, components, unique);
        out.values = wrongValues(schema, components, sample, 'body').map((w) => {
          // The checker agrees each is invalid (semantic ones are valid JSON Schema but outside the live policy).
          if (!w.semantic && schemaErrors(schema, w.value, components).length === 0) throw new Error(`fuzz value meant to be invalid is not: ${w.label}`);
          return (s: Spec) => {
            // A fresh UPN each time: a wrongly accepted createUser would otherwise hide behind a 409.
            const fresh = JSON.stringify(w.value).replaceAll(/sample-[\w-]+@contoso\.com/g, () => `sample-${unique()}@contoso.com`);
            setBody(w.label, fresh)(s);
          };
        });
        const pad = `{"displayName":"${'x'.repeat(MAX_BODY)}"}`;
        out.size = [
          setBody(`over ${MAX_BODY} bytes`, pad),
          setBody('1 MiB', `{"displayName":"${'x'.repeat(1 << 20)}"}`),
          setBody(`over ${MAX_BODY} bytes, chunked`, pad, true),
          setBody('1 MiB, chunked', `{"displayName":"${'x'.repeat(1 << 20)}"}`, true),
        ];
        out.contentType = CONTENT_TYPES.map((type) => (s: Spec) => {
          if (type === undefined) delete s.headers['content-type'];
          else s.headers['content-type'] = type;
          s.defects.push(`content-type ${type ?? 'absent'}`);
        });
      }
      return out;
    };

    const render = (s: Spec): FuzzRequest => {
      let path = `/v1.0${s.op.path}`.replace(/\{(\w+)\}/g, (_m, name: string) => s.params[name]!);
      if (s.shape) path = s.shape(path);
      // Harmless noise: non-$ query parameters are ignored by the API.
      const query = [...s.query, ...(rnd.next() < 0.2 ? ['api-version=1.0'] : [])];
      if (query.length) path += `?${query.join('&')}`;
      const headers = { ...s.headers };
      if (s.body && !s.chunked) headers['content-length'] = String(s.body.length);
      if (s.chunked) headers['transfer-encoding'] = 'chunked';
      return {
        operationId: s.op.operationId,
        method: s.method,
        path,
        headers,
        ...(s.body ? { body: s.body } : {}),
        ...(s.chunked ? { chunked: true } : {}),
        description: `${s.op.operationId}: ${s.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path} [${s.defects.join('; ')}]`,
        mayFind: s.method === 'GET' || s.method === 'HEAD',
      };
    };

    const requests: FuzzRequest[] = [];
    // Systematic: every defect value alone, once per operation.
    for (const op of ops) {
      for (const edits of Object.values(categories(op))) {
        for (const edit of edits) {
          const s = base(op);
          edit(s);
          requests.push(render(s));
        }
      }
    }
    // Random: one to three defects of different kinds at once.
    for (let i = 0; i < RANDOM_REQUESTS; i++) {
      const op = rnd.pick(ops);
      const cats = Object.values(categories(op));
      const s = base(op);
      const count = 1 + rnd.int(3);
      for (let k = 0; k < count; k++) rnd.pick(rnd.pick(cats))(s);
      requests.push(render(s));
    }

    await new Promise((r) => setTimeout(r, 100));
    before = await snapshot(snapshotter);

    const port = Number(new URL(server.url).port);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const r = requests[next++]!;
          outcomes.push(await send(port, agent, r));
        }
      }),
    );
    agent.destroy();
    console.log(`fuzz: ${requests.length} requests to ${ops.length} operations in ${Date.now() - started} ms`);

    await new Promise((r) => setTimeout(r, 100));
    after = await snapshot(snapshotter);
  }, 120_000);

  afterAll(() => snapshotter?.disconnect());

  it('sent a few thousand requests, to every operation', () => {
    expect(outcomes.length).toBeGreaterThan(2000);
    expect(new Set(outcomes.map((o) => o.request.operationId))).toEqual(new Set(operationIds));
  });

  it('got an answer to each, never a 5xx', () => {
    const broken = outcomes.filter((o) => o.status === undefined || o.status >= 500).map((o) => `${o.status ?? o.error}: ${o.request.description}`);
    expect(broken).toEqual([]);
  });

  it('refused every one: no write succeeded (a GET finding something is only recorded)', () => {
    const accepted = outcomes.filter((o) => o.status !== undefined && o.status < 400);
    const found = accepted.filter((o) => o.request.mayFind);
    if (found.length) console.log(`fuzz: ${found.length} GETs answered ${[...new Set(found.map((o) => o.status))].join(', ')}:\n  ${found.map((o) => o.request.description).join('\n  ')}`);
    expect(accepted.filter((o) => !o.request.mayFind).map((o) => `${o.status}: ${o.request.description}`)).toEqual([]);
  });

  it('answered every 4xx in Graph\'s error envelope', () => {
    const bad = outcomes
      .filter((o) => o.status !== undefined && o.status >= 400 && o.status < 500 && o.request.method !== 'HEAD')
      .filter((o) => {
        try {
          const body = JSON.parse(o.text!) as { error?: { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } } };
          return !(typeof body.error?.code === 'string' && typeof body.error.message === 'string' && typeof body.error.innerError?.['request-id'] === 'string');
        } catch {
          return true;
        }
      })
      .map((o) => `${o.status} ${o.text?.slice(0, 100)}: ${o.request.description}`);
    expect(bad).toEqual([]);
  });

  it('is still healthy and serving afterwards', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const users = await fetch(`${server.url}/v1.0/users?$top=1`, { headers: { authorization: `Bearer ${tokens.app}` } });
    expect(users.status).toBe(200);
    const mine = await fetch(`${server.url}/v1.0/me/authentication/methods`, { headers: { authorization: `Bearer ${tokens.delegated}` } });
    expect(mine.status).toBe(200);
  });

  it('left Redis exactly as it was', () => {
    const added = [...after.keys()].filter((k) => !before.has(k));
    const removed = [...before.keys()].filter((k) => !after.has(k));
    const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k)).map((k) => `${k}: ${before.get(k)} → ${after.get(k)}`);
    expect({ added, removed, changed }).toEqual({ added: [], removed: [], changed: [] });
    expect(before.size).toBeGreaterThan(10);
  });
});
