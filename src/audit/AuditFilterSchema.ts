/** How a property compares: strings by eq/ne/startswith (ignoring case), times and numbers by order too. */
export type AuditFieldType = 'string' | 'datetime' | 'number';

/**
 * The properties a `$filter` may name, by their Graph path. A collection is filtered with
 * `any(x: x/prop eq ...)` (objects) or `any(x: x eq ...)` (strings).
 */
export interface AuditFilterSchema {
  /** The property that orders the log; comparisons on it also narrow the range read from Redis. */
  time: string;
  scalars: Record<string, AuditFieldType>;
  collections: Record<string, Record<string, AuditFieldType> | AuditFieldType>;
}
