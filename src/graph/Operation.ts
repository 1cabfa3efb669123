import type { Context } from 'koa';
import type { Caller } from './Caller.js';
import type { GraphDeps } from './GraphDeps.js';
import type { Schema } from './Schema.js';

/** What a handler gets: the caller, the path parameters, the validated query and body. */
export interface OperationInput {
  ctx: Context;
  caller: Caller;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  deps: GraphDeps;
}

export interface OperationResult {
  status: number;
  body?: unknown;
}

/**
 * One operation of the admin API. The router dispatches and validates from these, and the OpenAPI document is
 * generated from the same objects.
 */
export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Under `/v1.0`, with `{name}` parameters: `{user}` is an id or a user principal name. */
  path: string;
  operationId: string;
  summary: string;
  /**
   * Who may call it, in words (permissions and roles); enforced in the handler through `authorize`, or for a
   * `{user}` through `authorizedUser` (allowed at all before the user is looked up).
   */
  access: string;
  /**
   * Graph's `@odata.context` after `$metadata#`, with `{name}` path parameters (`users('{user}')/authentication/
   * methods`, `users/$entity`); the router adds it to every body, with the `$select`ed properties.
   */
  context?: string;
  /** Query parameters it understands; any other `$`-parameter is refused. */
  query?: Record<string, Schema & { description?: string }>;
  body?: Schema;
  /** Success and error statuses it answers, with the schema of each success body. */
  responses: Record<number, { description: string; schema?: Schema }>;
  handler(input: OperationInput): Promise<OperationResult>;
}
