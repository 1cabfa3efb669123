import type { Middleware } from 'koa';
import { asAppError } from '../http/asAppError.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError, StaleSignInError, TooManyRequestsError } from '../errors.js';
import type { RateLimitCheck } from '../ratelimit/RateLimiter.js';
import { authenticateCaller } from './authenticateCaller.js';
import type { GraphDeps } from './GraphDeps.js';
import { sendGraphError } from './sendGraphError.js';
import type { Operation } from './Operation.js';
import { readJsonBody } from './readJsonBody.js';
import { schemas } from './schemas.js';
import { validate } from './validate.js';

export const GRAPH_PREFIX = '/v1.0';

/**
 * The admin API: dispatch by the operation table, authenticate, validate the query and body against the same
 * schemas the OpenAPI document shows, run the handler, and answer every error in Graph's envelope.
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
    try {
      // By address before anything else, so that a flood of bad tokens costs no token look-ups.
      await limit(['apiPerAddress', ctx.ip], 'address');
      const candidates = routes.filter((r) => r.pattern.test(ctx.path));
      if (candidates.length === 0) throw new NotFoundError('No such resource in this API. See /openapi.json.');
      const route = candidates.find((r) => r.op.method === ctx.method.toLowerCase());
      if (!route) {
        ctx.set('Allow', candidates.map((r) => r.op.method.toUpperCase()).join(', '));
        return sendGraphError(ctx, 405, 'methodNotAllowed', `${ctx.method} is not allowed here.`);
      }
      const { op } = route;
      const caller = await authenticateCaller(ctx, deps);
      await limit(['apiPerCaller', caller.kind === 'app' ? `app:${caller.clientId}` : `user:${caller.user.id}`], 'caller');

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
        if (!schema) throw new BadRequestError(`Query option ${name} is not supported here.`);
        if (typeof value !== 'string') throw new BadRequestError(`Query option ${name} may be given once.`);
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
      if (result.body !== undefined) ctx.body = result.body;
    } catch (err) {
      const known = asAppError(err);
      if (known) {
        if (known instanceof StaleSignInError) {
          ctx.set('WWW-Authenticate', `Bearer error="insufficient_user_authentication", error_description="A more recent sign-in is required", max_age="${known.maxAgeSeconds}"`);
        } else if (known.status === 401) ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        if (known instanceof MethodNotAllowedError) ctx.set('Allow', known.allow.join(', '));
        if (known instanceof TooManyRequestsError) ctx.set('Retry-After', String(known.retryAfterSeconds));
        if (known.status === 503) ctx.set('Retry-After', '1');
        return sendGraphError(ctx, known.status, known.code, known.message);
      }
      deps.log.error('graph.error', { path: ctx.path, method: ctx.method, error: (err as Error).message });
      sendGraphError(ctx, 500, 'generalException', 'The server could not complete the request.');
    }
  };
}
