import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { BadRequestError } from '../errors.js';
import type { Schema } from './Schema.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@\p{Cc}\p{Cf}]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z0-9-]{1,63}$/u;

/**
 * Ajv as the admin API needs it: lengths in UTF-16 units (what the stores and pages count; Ajv calls the option
 * deprecated, and would say so on stderr of every process without `logger: false`), the OpenAPI `nullable` and
 * `example` keywords, and our three formats. Strict mode throws rather than logs, so nothing is lost.
 */
const ajv = new Ajv({ allErrors: false, verbose: true, unicode: false, strict: true, logger: false, keywords: ['example', 'components'] })
  .addFormat('date-time', { type: 'string', validate: (v: string) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)) })
  .addFormat('uuid', UUID)
  .addFormat('email', EMAIL);

const MESSAGES: Record<string, string> = {
  'date-time': 'must be a date and time such as 2026-11-23T09:00:00Z.',
  uuid: 'must be a UUID.',
  email: 'must be of the form name@domain.',
};

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** `body.a/0/b` → `a[0].b`; the body itself is `body`, a query option its own name. */
function fieldOf(at: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((field, s) => (/^\d+$/.test(s) ? `${field}[${s}]` : field === 'body' ? s : `${field}.${s}`), at);
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', integer: 'a whole number', boolean: 'true or false', array: 'an array', object: 'an object' };

/** The one-line message of the first failure, naming the field as the admin API always has. */
function message(at: string, e: ErrorObject): string {
  const field = fieldOf(at, e.instancePath);
  const s = e.parentSchema as { type?: string; minLength?: number; maxLength?: number; enum?: string[]; minimum?: number; maximum?: number; maxItems?: number; format?: string };
  switch (e.keyword) {
    case 'type':
      return `${field} must be ${TYPE_WORDS[s.type ?? ''] ?? s.type}, not ${kind(e.data)}.`;
    case 'minLength':
      return `${field} must be at least ${s.minLength} characters long.`;
    case 'maxLength':
      return `${field} must be at most ${s.maxLength} characters long.`;
    case 'enum':
      return `${field} must be one of ${s.enum!.join(', ')}.`;
    case 'format':
      return `${field} ${MESSAGES[s.format!] ?? 'is not valid.'}`;
    case 'pattern':
      return `${field} has characters that are not allowed.`;
    case 'minimum':
      return `${field} must be at least ${s.minimum}.`;
    case 'maximum':
      return `${field} must be at most ${s.maximum}.`;
    case 'maxItems':
      return `${field} may hold at most ${s.maxItems} items.`;
    case 'required':
      return `${field === 'body' ? '' : `${field}.`}${(e.params as { missingProperty: string }).missingProperty} is required.`;
    case 'additionalProperties':
      return `${fieldOf(field, `/${(e.params as { additionalProperty: string }).additionalProperty}`)} is not a property this request accepts.`;
    default:
      return `${field} is not valid.`;
  }
}

/** Each schema compiled once, with the components its `$ref`s point at. */
const compiled = new WeakMap<Schema, ValidateFunction>();

/**
 * Check `value` against `schema` (Ajv); throw BadRequestError naming the first offending field. `refs` resolves
 * `$ref`s (`#/components/schemas/<name>`).
 */
export function validate(schema: Schema, value: unknown, refs: Record<string, Schema>, at = 'body'): void {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile({ ...schema, components: { schemas: refs } });
    compiled.set(schema, check);
  }
  if (!check(value)) throw new BadRequestError(message(at, check.errors![0]!));
}
