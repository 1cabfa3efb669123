import type { Context } from 'koa';
import type { AuditContext } from '../audit/AuditContext.js';
import { auditRecords } from '../audit/auditRecords.js';
import type { AdminVisit } from './AdminVisit.js';

/** The administrator of a console change as the services record it: who, and from which address. */
export function adminAuditContext(ctx: Context, v: AdminVisit): AuditContext {
  return { actor: auditRecords.actorOf(v.user), ...(ctx.ip ? { ip: ctx.ip } : {}) };
}
