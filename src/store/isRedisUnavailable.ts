/** Errors of ioredis and of Redis itself that mean "Redis cannot answer now", not "this request is wrong". */
// By name and message only: socket error codes (ECONNREFUSED…) also come from fetch to an upstream or a webhook
// receiver, which are not Redis; ioredis rejects commands with the errors below, never with the socket's.
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const UNAVAILABLE_MESSAGES = [
  /^Connection is closed\.?$/,
  /^Stream isn't writeable/,
  /^Cluster isn't ready/,
  /^Command timed out/,
  /^Command aborted due to connection close/,
  /^None of startup nodes is available/,
  /^Failed to refresh slots cache/,
  // A Cluster redirection ioredis could not follow (one in a mixed pipeline, or too many during a failover).
  /^Too many Cluster redirections/,
  /^(MOVED|ASK) \d+ /,
  // Sentinel: none of the sentinels answers, or none knows a master.
  /^All sentinels are unreachable/,
  // Replies of a Redis that is up but cannot serve yet: reloading its AOF, a failover, a cluster reshard.
  /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|BUSY) /,
];

/**
 * Whether `err` is a Redis outage (no connection, a connection lost mid-command, a command that got no answer in
 * time, a Redis still loading its data): such a request is answered 503 and may be tried again, where any other
 * error is a bug (500). The cause chain is followed, since libraries wrap what the adapter threw.
 */
export function isRedisUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  if (UNAVAILABLE_NAMES.has(err.name)) return true;
  if (UNAVAILABLE_MESSAGES.some((re) => re.test(err.message))) return true;
  const { lastNodeError, previousErrors } = err as { lastNodeError?: unknown; previousErrors?: unknown };
  // A MULTI whose queued commands met a failover (MOVED, CLUSTERDOWN…) ends in EXECABORT, with their errors here.
  if (/^EXECABORT /.test(err.message) && Array.isArray(previousErrors) && previousErrors.some((e) => isRedisUnavailable(e, depth + 1))) return true;
  return isRedisUnavailable(err.cause, depth + 1) || isRedisUnavailable(lastNodeError, depth + 1);
}
