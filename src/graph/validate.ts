import { BadRequestError } from '../errors.js';
import type { Schema } from './Schema.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@\p{Cc}\p{Cf}]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z0-9-]{1,63}$/u;

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Check `value` against `schema`; throw BadRequestError naming the first offending field. `refs` resolves
 * `$ref`s (`#/components/schemas/<name>`).
 */
export function validate(schema: Schema, value: unknown, refs: Record<string, Schema>, at = 'body'): void {
  if ('$ref' in schema) {
    const target = refs[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unknown schema ${schema.$ref}`);
    return validate(target, value, refs, at);
  }
  switch (schema.type) {
    case 'string':
      if (value === null && schema.nullable) return;
      if (typeof value !== 'string') throw new BadRequestError(`${at} must be a string, not ${kind(value)}.`);
      if (schema.minLength !== undefined && value.length < schema.minLength) {
        throw new BadRequestError(`${at} must be at least ${schema.minLength} characters long.`);
      }
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        throw new BadRequestError(`${at} must be at most ${schema.maxLength} characters long.`);
      }
      if (schema.enum && !schema.enum.includes(value)) throw new BadRequestError(`${at} must be one of ${schema.enum.join(', ')}.`);
      if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
        throw new BadRequestError(`${at} must be a date and time such as 2026-11-23T09:00:00Z.`);
      }
      if (schema.format === 'uuid' && !UUID.test(value)) throw new BadRequestError(`${at} must be a UUID.`);
      if (schema.format === 'email' && !EMAIL.test(value)) throw new BadRequestError(`${at} must be of the form name@domain.`);
      if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) throw new BadRequestError(`${at} has characters that are not allowed.`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new BadRequestError(`${at} must be a whole number, not ${kind(value)}.`);
      if (schema.minimum !== undefined && value < schema.minimum) throw new BadRequestError(`${at} must be at least ${schema.minimum}.`);
      if (schema.maximum !== undefined && value > schema.maximum) throw new BadRequestError(`${at} must be at most ${schema.maximum}.`);
      return;
    case 'boolean':
      if (value === null && schema.nullable) return;
      if (typeof value !== 'boolean') throw new BadRequestError(`${at} must be true or false, not ${kind(value)}.`);
      return;
    case 'array':
      if (!Array.isArray(value)) throw new BadRequestError(`${at} must be an array, not ${kind(value)}.`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) throw new BadRequestError(`${at} may hold at most ${schema.maxItems} items.`);
      value.forEach((item, i) => validate(schema.items, item, refs, `${at}[${i}]`));
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new BadRequestError(`${at} must be an object, not ${kind(value)}.`);
      }
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (record[name] === undefined) throw new BadRequestError(`${at === 'body' ? '' : `${at}.`}${name} is required.`);
      }
      for (const [name, v] of Object.entries(record)) {
        const field = at === 'body' ? name : `${at}.${name}`;
        // Own properties only: `constructor`, `toString` or `__proto__` in a body must not find Object.prototype's.
        const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
        if (!property) {
          if (schema.additionalProperties === false) throw new BadRequestError(`${field} is not a property this request accepts.`);
          continue;
        }
        validate(property, v, refs, field);
      }
      return;
    }
  }
}
