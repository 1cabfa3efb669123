import type { Schema } from './Schema.js';
import { schemas } from './schemas.js';

const refName = (s: Schema | undefined): string | undefined => (s && '$ref' in s ? String(s.$ref).split('/').pop() : undefined);

/** The name of a response's item schema: the response's own, or its collection's item's. */
export function itemSchemaOf(response: Schema | undefined): string | undefined {
  const name = refName(response);
  const schema = name ? (schemas[name] as { properties?: Record<string, Schema> } | undefined) : undefined;
  const value = schema?.properties?.value as { items?: Schema } | undefined;
  return value?.items ? refName(value.items) : name;
}
