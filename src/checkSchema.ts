import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';

/**
 * Annotations our schemas carry beside JSON Schema: `errorMessage`, the one-line message for any failure of the
 * value itself, or per failed keyword (`{ "pattern": "…", "*": "…" }`), where `{value}` stands for the value as
 * JSON; `unknownMessage`, for a property an object does not know; `defaultText`, the default as the
 * README shows it when the bare value would say less. Lengths count UTF-16 units, as JavaScript's `length`
 * (Ajv calls that option deprecated and would say so on stderr without `logger: false`; strict mode throws).
 */
const ajv = new Ajv({ useDefaults: true, verbose: true, allErrors: false, strict: true, unicode: false, logger: false, keywords: ['errorMessage', 'unknownMessage', 'defaultText'] });

/** A failed check: the field as a person would write it (`options.rateLimits.signInPerAccount.limit`) and what is wrong. */
export interface SchemaFailure {
  field: string;
  message: string;
}

function fieldOf(prefix: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((at, s) => (/^\d+$/.test(s) ? `${at}[${s}]` : at ? `${at}.${s}` : s), prefix);
}

type ErrorMessage = string | Record<string, string>;

function pickMessage(m: ErrorMessage | undefined, keyword: string): string | undefined {
  return typeof m === 'object' ? (m[keyword] ?? m['*']) : m;
}

function failure(prefix: string, e: ErrorObject): SchemaFailure {
  const field = fieldOf(prefix, e.instancePath);
  const parent = (e.parentSchema ?? {}) as { errorMessage?: ErrorMessage; unknownMessage?: string; properties?: Record<string, { errorMessage?: ErrorMessage }> };
  if (e.keyword === 'additionalProperties') {
    const name = (e.params as { additionalProperty: string }).additionalProperty;
    return { field: fieldOf(field, `/${name}`), message: parent.unknownMessage ?? 'is not a known property' };
  }
  if (e.keyword === 'required') {
    const name = (e.params as { missingProperty: string }).missingProperty;
    return { field: fieldOf(field, `/${name}`), message: pickMessage(parent.properties?.[name]?.errorMessage, 'required') ?? 'is required' };
  }
  const message = pickMessage(parent.errorMessage, e.keyword) ?? e.message ?? 'is not valid';
  return { field, message: message.replace('{value}', () => JSON.stringify(e.data)) };
}

/**
 * Compile `schema` once; the checker fills in its defaults on a copy of the value and returns it, or the first
 * failure, named as `prefix` plus the path within the value.
 */
export function checkSchema<S extends TSchema>(schema: S, prefix = ''): (value: unknown) => { ok: true; value: Static<S> } | ({ ok: false } & SchemaFailure) {
  // The root's own default is the caller's to apply (Ajv fills in only properties' defaults, and says so).
  const { default: _default, ...root } = schema;
  const validate = ajv.compile(root);
  return (value) => {
    const copy = value === undefined ? undefined : structuredClone(value);
    if (validate(copy)) return { ok: true, value: copy as Static<S> };
    return { ok: false, ...failure(prefix, validate.errors![0]!) };
  };
}
