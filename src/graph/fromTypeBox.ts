import type { TSchema } from '@sinclair/typebox';
import type { Schema } from './Schema.js';

/**
 * Annotations of our TypeBox schemas that are not the API's to publish: the defaults (a PATCH field left out is
 * unchanged, not reset) and the one-line messages of src/checkSchema.ts.
 */
const UNPUBLISHED = new Set(['default', 'errorMessage', 'unknownMessage', 'defaultText']);

/** A TypeBox schema of a lower layer (e.g. the TAP policy's) as the admin API's Schema, for validation and OpenAPI. */
export function fromTypeBox(schema: TSchema): Schema {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => !UNPUBLISHED.has(k)).map(([k, x]) => [k, strip(x)]));
  };
  return strip(schema) as Schema;
}
