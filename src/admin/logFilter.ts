import type { AdminLogView } from '../http/views/AdminLogView.js';

/** A literal inside an OData string. */
const quoted = (v: string) => `'${v.replaceAll("'", "''")}'`;
/** A form's `datetime-local` (UTC, as the form says) as an OData date-time, or undefined. */
const instant = (v: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : undefined);

/**
 * The log page's filter form as the audit log's `$filter` (the query language the admin API takes, so the
 * console reads the logs through the same `AuditLog` queries): user (its id when it is a known user, else the
 * name given), activity, result and time range, joined by `and`.
 */
export function logFilter(which: 'directory' | 'signIns', f: AdminLogView['filter'], userId: string | undefined): string | undefined {
  const parts: string[] = [];
  const time = which === 'directory' ? 'activityDateTime' : 'createdDateTime';
  if (f.user) {
    if (which === 'directory') parts.push(userId ? `targetResources/any(t: t/id eq ${quoted(userId)})` : `targetResources/any(t: t/userPrincipalName eq ${quoted(f.user)})`);
    else parts.push(userId ? `userId eq ${quoted(userId)}` : `userPrincipalName eq ${quoted(f.user)}`);
  }
  if (f.activity) parts.push(which === 'directory' ? `activityDisplayName eq ${quoted(f.activity)}` : `authenticationMethodsUsed/any(m: m eq ${quoted(f.activity)})`);
  if (f.result === 'success' || f.result === 'failure') {
    parts.push(which === 'directory' ? `result eq ${quoted(f.result)}` : `status/errorCode ${f.result === 'success' ? 'eq' : 'ne'} 0`);
  }
  const from = instant(f.from);
  const to = instant(f.to);
  if (from) parts.push(`${time} ge ${from}`);
  if (to) parts.push(`${time} le ${to}`);
  return parts.length ? parts.join(' and ') : undefined;
}
