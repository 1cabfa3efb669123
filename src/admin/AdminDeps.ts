import type { AccountRouterDeps } from '../account/AccountRouterDeps.js';
import type { AuditLog } from '../audit/AuditLog.js';
import type { Revoker } from '../revocation/Revoker.js';

/** What the admin console works with: what security info does, and the services the admin API calls besides. */
export interface AdminDeps extends AccountRouterDeps {
  revoker: Revoker;
  audit: AuditLog;
}
