/** How a property compares: text by eq/ne/in/startswith/endswith (ignoring case), times and numbers by order too. */
export type FilterFieldType = 'string' | 'datetime' | 'number' | 'boolean';

/**
 * The properties a `$filter` may name on one resource, by their Graph path. A collection is filtered with
 * `any(x: x/prop eq ...)` (objects) or `any(x: x eq ...)` (strings).
 */
export interface FilterFields {
  /** The resource's name in messages, e.g. `User`. */
  resource: string;
  /** The property that orders a log; comparisons on it also narrow the range read. */
  time?: string;
  scalars: Record<string, FilterFieldType>;
  collections: Record<string, Record<string, FilterFieldType> | FilterFieldType>;
}
