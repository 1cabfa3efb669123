import type { AuditActor } from '../../src/audit/AuditEntry.js';
import { auditRecords } from '../../src/audit/auditRecords.js';
import type { User } from '../../src/directory/User.js';
import type { CreateTapInput, TapMethod } from '../../src/tap/TapService.js';
import { findUser } from './findUser.js';
import type { TestServer } from './testServer.js';

/**
 * Issue a TAP to a user (or the user of that name) through the service, as an administrator would. With
 * `recordedBy`, the admin API's audit record of it is written too, as the API would (from `ip`, if given).
 */
export async function issueTap(
  server: TestServer,
  who: User | string,
  input: CreateTapInput = {},
  recordedBy?: { actor: AuditActor; ip?: string },
): Promise<TapMethod> {
  const user = typeof who === 'string' ? await findUser(server, who) : who;
  const tap = await server.plugin.taps.create(user, input);
  if (recordedBy) await server.plugin.audit.recordDirectory(auditRecords.adminRegisteredTap(recordedBy.actor, user, tap.id, recordedBy.ip));
  return tap;
}
