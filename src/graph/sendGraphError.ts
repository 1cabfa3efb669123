import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';

/** Microsoft Graph's error envelope. */
export function sendGraphError(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } };
}
