import type { AuditContext } from '../../src/audit/AuditContext.js';
import type { User } from '../../src/directory/User.js';
import type { TemporaryAccessPassMethod } from '../../src/tap/TemporaryAccessPassMethod.js';
import type { CreateTapInput } from '../../src/tap/TapService.js';
import { byTest } from './byTest.js';
import { findUser } from './findUser.js';
import type { TestServer } from './testServer.js';

/**
 * Issue a TAP to a user (or the user of that name) through the service, as an administrator would; the service
 * records it in the audit log as done `by` (default: the test itself).
 */
export async function issueTap(server: TestServer, who: User | string, input: CreateTapInput = {}, by: AuditContext = byTest): Promise<TemporaryAccessPassMethod> {
  const user = typeof who === 'string' ? await findUser(server, who) : who;
  return server.plugin.taps.create(user, input, by);
}
