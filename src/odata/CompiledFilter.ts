/** A `$filter` checked against a resource: the test each item must pass, and the time range it implies. */
export interface CompiledFilter {
  test(item: Record<string, unknown>): boolean;
  /** Earliest time a matching item can have (the resource's `time` property), ms since the epoch. */
  fromMs?: number;
  /** Latest time a matching item can have, ms since the epoch. */
  toMs?: number;
}
