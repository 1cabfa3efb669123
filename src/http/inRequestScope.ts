import type { Middleware } from 'koa';
import { RequestScope } from '../store/RequestScope.js';

/**
 * Handle the request in a RequestScope of its own: its Redis reads are asked once, its oidc-provider saves are
 * sent together, before the response (koa sends it after this returns; the provider's own responses are flushed
 * by flushBeforeResponse, inside the provider).
 */
export const inRequestScope: Middleware = (_ctx, next) => RequestScope.run(next);
