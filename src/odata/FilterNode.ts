/** A literal of a `$filter`: quoted text, a number, an unquoted ISO 8601 time, true/false or null. */
export type FilterLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

/** A property path as written (`initiatedBy/user/id`, or `t/id` inside a lambda), with where it starts. */
export interface FilterPath {
  parts: string[];
  pos: number;
}

/**
 * The syntax tree of a `$filter` (parseFilter), before it is checked against a resource's properties
 * (compileFilter): the same grammar for every resource, each with its own field table.
 */
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: FilterPath; value: FilterLiteral }
  | { kind: 'in'; path: FilterPath; values: FilterLiteral[] }
  | { kind: 'call'; fn: 'startswith' | 'endswith'; path: FilterPath; value: FilterLiteral }
  | { kind: 'any'; collection: FilterPath; variable: string; body: FilterNode };
