/**
 * A small JSON Schema (2020-12) checker for the subset the admin API's OpenAPI document uses: `type` (a name or
 * an array of names, `null` included), `properties`, `required`, `additionalProperties: false`, `items`, `enum`,
 * `$ref` to `#/components/schemas/…`, and the string and number bounds. Written independently of
 * src/graph/validate.ts, so the tests check the server against the document rather than against itself.
 */
export type JsonSchema = Record<string, unknown>;

/** Keywords this checker understands; any other in the document is an error, so the subset cannot grow unnoticed. */
const KNOWN = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  '$ref',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'maxItems',
  'description',
  'example',
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Lenient on the local part; the domain must be letters, digits, dots and hyphens with a dot (RFC 5321 `email`, not `idn-email`). */
const EMAIL = /^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Resolve a `$ref` (only local component schemas). */
export function resolveRef(ref: string, components: Record<string, JsonSchema>): JsonSchema {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  const target = m && components[m[1]!];
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return target;
}

/** Every way `value` breaks `schema`, as `path: reason` strings; empty when it conforms. */
export function schemaErrors(schema: JsonSchema, value: unknown, components: Record<string, JsonSchema>, at = '$'): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length) throw new Error(`${at}: schema keywords this checker does not know: ${unknown.join(', ')}`);
  if (typeof schema.$ref === 'string') return schemaErrors(resolveRef(schema.$ref, components), value, components, at);

  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
      return [`${at}: expected ${types.join(' or ')}, got ${actual}`];
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);

  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) errors.push(`${at}: not a date-time`);
    if (schema.format === 'uuid' && !UUID.test(value)) errors.push(`${at}: not a uuid`);
    if (schema.format === 'email' && !EMAIL.test(value)) errors.push(`${at}: not an email address`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...schemaErrors(schema.items as JsonSchema, item, components, `${at}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in record)) errors.push(`${at}: missing required ${name}`);
    }
    for (const [name, v] of Object.entries(record)) {
      // Own properties only: a body's `constructor` or `__proto__` is no schema of ours.
      const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (property) errors.push(...schemaErrors(property, v, components, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${name}`);
    }
  }
  return errors;
}

/**
 * A value that conforms to `schema`: required properties only, empty arrays, the first enum member, and strings
 * shaped by their format. `unique()` makes each email address new, so a sample user never collides.
 */
export function sampleValue(schema: JsonSchema, components: Record<string, JsonSchema>, unique: () => string): unknown {
  if (typeof schema.$ref === 'string') return sampleValue(resolveRef(schema.$ref, components), components, unique);
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : (schema.type as string | undefined);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(((schema.required ?? []) as string[]).map((name) => [name, sampleValue(properties[name]!, components, unique)]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : typeof schema.maximum === 'number' ? schema.maximum : 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'email') return `sample-${unique()}@contoso.com`;
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'sample'.padEnd(typeof schema.minLength === 'number' ? schema.minLength : 0, 'x');
    default:
      throw new Error(`no sample for schema ${JSON.stringify(schema)}`);
  }
}
