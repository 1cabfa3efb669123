import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one HTTP request has read from and owes to Redis (issue #18: a sign-in's cost is mostly its round trips).
 *
 * - `reads`: the answer to every read command the request sent, by command and arguments (`requestScopedClient`),
 *   so that the steps of one request that each look up the user, the TAP or the policy ask Redis once. Any write
 *   the request sends to a key forgets what was read of it.
 * - `models`: oidc-provider's models as this request last saw or saved them (`redisAdapterFactory`), so that the
 *   interaction, session and grant oidc-provider loads several times per request are read once.
 * - `writes`: the model saves and deletions of the request, by key (the last one of a key wins), sent together
 *   by `flush` before the response leaves: a request that saves an interaction, a grant and a session pays one
 *   round trip for all of them instead of one each.
 *
 * Nothing outside the request can see a deferred write before its response, and nothing outside it needs to: the
 * response (a redirect, a code, a token) is what leads the next request to the data. Once flushed, the scope is
 * closed: work still running after the response (an event handler) reads and writes Redis directly.
 *
 * The async context holds a slot, not the scope, and closing empties it. Whatever the request created keeps that
 * context: among them the connection's keep-alive timer, armed as the provider's response ends. A context holding
 * the scope itself kept every keep-alive connection's last request (all its Redis replies and models) alive until
 * that connection's next request, long enough for each young-generation GC to copy it to the old generation; under
 * load that was most of what the server promoted, and it made the collections long (docs/benchmarks.md).
 */
export class RequestScope {
  private static readonly storage = new AsyncLocalStorage<{ scope?: RequestScope }>();

  /** By key (a read's first argument), then by command and the other arguments: what the request read of it. */
  readonly reads = new Map<unknown, Map<string, Promise<unknown>>>();
  /** By key: the stored hash (`p`, `consumed`) as last read or saved in this request, or undefined once deleted. */
  readonly models = new Map<string, Promise<Record<string, string> | undefined>>();
  private readonly writes = new Map<string | symbol, () => Promise<unknown>>();

  /** The scope of the request this code runs for, while it is open. */
  static current(): RequestScope | undefined {
    return RequestScope.storage.getStore()?.scope;
  }

  /**
   * Run `fn` (a request's handling) in a scope of its own and send the scope's writes when it ends, whether it
   * succeeded or threw; a failed send fails the request (answered 503 by the error handlers, like any outage).
   * Inside an open scope, `fn` joins it.
   */
  static async run<T>(fn: () => Promise<T>): Promise<T> {
    if (RequestScope.current()) return fn();
    const scope = new RequestScope();
    const slot: { scope?: RequestScope } = { scope };
    // Closing: what still runs afterwards goes to Redis directly, and the context no longer reaches the scope.
    const close = () => {
      delete slot.scope;
      return scope.flush();
    };
    return RequestScope.storage.run(slot, async () => {
      let result: T;
      try {
        result = await fn();
      } catch (err) {
        // The error is what the request answers; a failed send on top of it would only hide it.
        await close().catch(() => undefined);
        throw err;
      }
      await close();
      return result;
    });
  }

  /**
   * A write whose answer the request does not wait for (a clean-up, an audit record): owed with the request's
   * other writes when it has a scope, else sent now.
   */
  static async later(write: () => Promise<unknown>): Promise<void> {
    const scope = RequestScope.current();
    if (scope) scope.defer(Symbol('write'), write);
    else await write();
  }

  /** Owe `write` for `key`, replacing what was owed for it. */
  defer(key: string | symbol, write: () => Promise<unknown>): void {
    this.writes.delete(key);
    this.writes.set(key, write);
  }

  /**
   * Send every owed write now, all in one tick (one pipelined round trip on a single Redis, one per node on a
   * Cluster). Called before the response, and before any operation whose answer depends on them.
   */
  async flush(): Promise<void> {
    if (this.writes.size === 0) return;
    const owed = [...this.writes.values()];
    this.writes.clear();
    await Promise.all(owed.map((w) => w()));
  }
}
