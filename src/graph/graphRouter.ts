import type { Context, Middleware } from 'koa';
import { asAppError } from '../http/asAppError.js';
import { AppError, BadRequestError, MethodNotAllowedError, StaleSignInError, TooManyRequestsError } from '../errors.js';
import type { RateLimitCheck } from '../ratelimit/RateLimiter.js';
import { authenticateCaller } from './authenticateCaller.js';
import type { GraphDeps } from './GraphDeps.js';
import { itemSchemaOf } from './itemSchemaOf.js';
import { sendGraphError } from './sendGraphError.js';
import type { Operation, OperationResult } from './Operation.js';
import { readJsonBody } from './readJsonBody.js';
import { schemas } from './schemas.js';
import { selectProperties } from './selectProperties.js';
import { validate } from './validate.js';

export const GRAPH_PREFIX = '/v1.0';

/**
 * Graph's directory (users and what hangs off them, but not their authentication methods) answers with its own
 * codes: `Request_BadRequest` and `Request_ResourceNotFound` where the other services say `BadRequest` and
 * `itemNotFound`.
 */
const isDirectory = (op: Operation | undefined) => op !== undefined && op.path.startsWith('/users') && !op.path.includes('/authentication/');

function graphCode(err: AppError, op: Operation | undefined): string {
  if (!isDirectory(op)) return err.code;
  if (err.code === 'BadRequest') return 'Request_BadRequest';
  if (err.code === 'itemNotFound') return 'Request_ResourceNotFound';
  return err.code;
}

/** `@odata.context` first, with the `$select`ed properties where Graph puts them, and `$select` applied. */
function shape(op: Operation, result: OperationResult, ctx: Context, deps: GraphDeps, params: Record<string, string>, query: Record<string, string>): unknown {
  const body = result.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  let out = body as Record<string, unknown>;
  let context = op.context?.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(name === 'me' && ctx.state.meId ? String(ctx.state.meId) : (params[name] ?? '')));
  if (query.$select !== undefined) {
    const item = itemSchemaOf(op.responses[result.status]?.schema);
    if (item) {
      const keep = (query.$expand ?? '').split(',').map((e) => e.trim()).filter(Boolean);
      const selected = selectProperties(out, query.$select, item, keep, isDirectory(op));
      out = selected.body;
      const list = `(${selected.properties.join(',')})`;
      if (context) context = context.endsWith('/$entity') ? `${context.slice(0, -'/$entity'.length)}${list}/$entity` : `${context}${list}`;
    }
  }
  if (!context) return out;
  const { '@odata.context': _old, ...rest } = out;
  return { '@odata.context': `${deps.issuer}${GRAPH_PREFIX}/$metadata#${context}`, ...rest };
}

/** Headers a browser script may send, and read back, across origins. */
const CORS_REQUEST_HEADERS = 'Authorization, Content-Type, ConsistencyLevel';
const CORS_EXPOSED_HEADERS = 'Location, Retry-After, WWW-Authenticate';

/**
 * CORS for the configured origins: the headers on every answer to one of them, and the answer to its preflight
 * (true: nothing more to do). No credentials: the bearer token is the credential, never a cookie. Other origins
 * get no CORS headers, so their browsers keep the answers from the page.
 */
function allowCors(ctx: Context, origins: readonly string[]): boolean {
  const origin = ctx.get('Origin');
  if (!origin) return false;
  ctx.vary('Origin');
  if (!origins.includes(origin)) return false;
  ctx.set('Access-Control-Allow-Origin', origin);
  if (ctx.method !== 'OPTIONS' || !ctx.get('Access-Control-Request-Method')) {
    ctx.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
    return false;
  }
  ctx.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
  ctx.set('Access-Control-Allow-Headers', CORS_REQUEST_HEADERS);
  ctx.set('Access-Control-Max-Age', '600');
  ctx.status = 204;
  return true;
}

/**
 * The admin API: dispatch by the operation table, authenticate, validate the query and body against the same
 * schemas the OpenAPI document shows, run the handler, shape the answer as Graph does (`@odata.context`,
 * `$select`), and answer every error in Graph's envelope with the code Graph uses on that path.
 */
export function graphRouter(deps: GraphDeps, operations: Operation[]): Middleware {
  const routes = operations.map((op) => ({
    op,
    pattern: new RegExp(`^${GRAPH_PREFIX.replace('.', '\\.')}${op.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/?$`),
  }));

  async function limit(check: RateLimitCheck, who: string): Promise<void> {
    const r = await deps.limiter.take(check);
    if (!r.ok) throw new TooManyRequestsError(`Too many requests from this ${who}. Retry after ${r.retryAfterSeconds} seconds.`, r.retryAfterSeconds);
  }

  return async (ctx, next) => {
    if (ctx.path !== GRAPH_PREFIX && !ctx.path.startsWith(`${GRAPH_PREFIX}/`)) return next();
    ctx.set('Cache-Control', 'no-store');
    if (allowCors(ctx, deps.corsOrigins)) return;
    let op: Operation | undefined;
    try {
      // By address before anything else, so that a flood of bad tokens costs no token look-ups.
      await limit(['apiPerAddress', ctx.ip], 'address');
      const candidates = routes.filter((r) => r.pattern.test(ctx.path));
      if (candidates.length === 0) {
        const segment = ctx.path.slice(GRAPH_PREFIX.length + 1).split('/')[0] ?? '';
        throw new BadRequestError(`Resource not found for the segment '${segment.slice(0, 100)}'.`);
      }
      const route = candidates.find((r) => r.op.method === ctx.method.toLowerCase());
      if (!route) {
        op = candidates[0]!.op;
        throw new MethodNotAllowedError('Specified HTTP method is not allowed for the request target.', candidates.map((r) => r.op.method.toUpperCase()));
      }
      op = route.op;
      const caller = await authenticateCaller(ctx, deps);
      await limit(['apiPerCaller', caller.kind === 'app' ? `app:${caller.clientId}` : `user:${caller.user.id}`], 'caller');
      if (caller.kind === 'user') ctx.state.meId = caller.user.id;

      const params: Record<string, string> = {};
      for (const [name, raw] of Object.entries(route.pattern.exec(ctx.path)!.groups ?? {})) {
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          throw new BadRequestError(`The path segment for ${name} is not valid percent-encoding.`);
        }
        if (params[name]!.length === 0 || params[name]!.length > 400) throw new BadRequestError(`The path segment for ${name} is empty or too long.`);
      }

      const query: Record<string, string> = {};
      for (const [name, value] of Object.entries(ctx.query)) {
        if (!name.startsWith('$')) continue;
        const schema = op.query?.[name];
        if (!schema) throw new BadRequestError(`Query option '${name}' is not supported here.`);
        if (typeof value !== 'string') throw new BadRequestError(`Query option '${name}' may be given once.`);
        const parsed = 'type' in schema && schema.type === 'integer' ? (/^-?\d{1,9}$/.test(value) ? Number(value) : value) : value;
        validate(schema, parsed, schemas, name);
        query[name] = value;
      }

      let body: unknown;
      if (op.body) {
        body = await readJsonBody(ctx);
        validate(op.body, body, schemas);
      }

      const result = await op.handler({ ctx, caller, params, query, body, deps });
      ctx.status = result.status;
      if (result.body !== undefined) ctx.body = shape(op, result, ctx, deps, params, query);
    } catch (err) {
      const known = asAppError(err);
      if (known) {
        if (known instanceof StaleSignInError) {
          ctx.set('WWW-Authenticate', `Bearer error="insufficient_user_authentication", error_description="A more recent sign-in is required", max_age="${known.maxAgeSeconds}"`);
        } else if (known.status === 401) ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        if (known instanceof MethodNotAllowedError) ctx.set('Allow', known.allow.join(', '));
        if (known instanceof TooManyRequestsError) ctx.set('Retry-After', String(known.retryAfterSeconds));
        if (known.status === 503) ctx.set('Retry-After', '1');
        return sendGraphError(ctx, known.status, graphCode(known, op), known.message);
      }
      deps.log.error('graph.error', { path: ctx.path, method: ctx.method, error: (err as Error).message });
      sendGraphError(ctx, 500, 'generalException', 'The server could not complete the request.');
    }
  };
}
