import { describe, expect, it } from 'vitest';
import type { Schema } from './Schema.js';
import { BadRequestError } from '../errors.js';
import { graphOperations } from './graphOperations.js';
import { schemas } from './schemas.js';
import { validate } from './validate.js';

const refs: Record<string, Schema> = {
  Target: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'], additionalProperties: false },
};
const body: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 4 },
    kind: { type: 'string', enum: ['a', 'b'] },
    when: { type: 'string', format: 'date-time' },
    ref: { type: 'string', format: 'uuid' },
    upn: { type: 'string', format: 'email' },
    word: { type: 'string', pattern: '^[a-z]*$' },
    note: { type: 'string', nullable: true },
    count: { type: 'integer', minimum: 1, maximum: 9 },
    on: { type: 'boolean' },
    list: { type: 'array', items: { $ref: '#/components/schemas/Target' }, maxItems: 2 },
  },
  required: ['name'],
  additionalProperties: false,
};

describe('validate (admin API bodies and query options)', () => {
  it.each([
    [[], 'body must be an object, not an array.'],
    [{}, 'name is required.'],
    [{ name: 5 }, 'name must be a string, not a number.'],
    [{ name: 'a' }, 'name must be at least 2 characters long.'],
    [{ name: 'abcde' }, 'name must be at most 4 characters long.'],
    [{ name: 'ab', kind: 'c' }, 'kind must be one of a, b.'],
    [{ name: 'ab', when: '2026-13-45T99:00:00Z' }, 'when must be a date and time such as 2026-11-23T09:00:00Z.'],
    [{ name: 'ab', ref: 'nope' }, 'ref must be a UUID.'],
    [{ name: 'ab', upn: 'nope' }, 'upn must be of the form name@domain.'],
    [{ name: 'ab', word: 'A1' }, 'word has characters that are not allowed.'],
    [{ name: 'ab', note: 3 }, 'note must be a string, not a number.'],
    [{ name: 'ab', count: 1.5 }, 'count must be a whole number, not a number.'],
    [{ name: 'ab', count: 0 }, 'count must be at least 1.'],
    [{ name: 'ab', count: 10 }, 'count must be at most 9.'],
    [{ name: 'ab', on: 'yes' }, 'on must be true or false, not a string.'],
    [{ name: 'ab', list: {} }, 'list must be an array, not an object.'],
    [{ name: 'ab', list: [{ id: 'x' }, { id: 'y' }, { id: 'z' }] }, 'list may hold at most 2 items.'],
    [{ name: 'ab', list: [{ id: 'x' }, {}] }, 'list[1].id is required.'],
    [{ name: 'ab', list: [{ id: '' }] }, 'list[0].id must be at least 1 characters long.'],
    [{ name: 'ab', list: [{ id: 'x', colour: 'blue' }] }, 'list[0].colour is not a property this request accepts.'],
    [{ name: 'ab', colour: 'blue' }, 'colour is not a property this request accepts.'],
  ])('refuses %j with %j', (value, message) => {
    expect(() => validate(body, value, refs)).toThrow(message);
  });

  it('accepts what conforms, null where allowed, and a length counted in UTF-16 units as the stores count it', () => {
    expect(() => validate(body, { name: 'ab', note: null, when: '2026-11-23T09:00:00Z', list: [{ id: 'x' }] }, refs)).not.toThrow();
    expect(() => validate(body, { name: '😀😀😀' }, refs)).toThrow('name must be at most 4 characters long.');
  });

  it('names a query option by its own name', () => {
    expect(() => validate({ type: 'integer', minimum: 1, maximum: 999 }, 0, {}, '$top')).toThrow('$top must be at least 1.');
  });

  it('checks a TAP policy change against the one TAP policy schema', () => {
    expect(() => validate(schemas.TemporaryAccessPassPolicyPatch!, { defaultLength: 49 }, schemas)).toThrow('defaultLength must be at most 48.');
    expect(() => validate(schemas.TemporaryAccessPassPolicyPatch!, { includeTargets: [{ targetType: 'device', id: 'x' }] }, schemas)).toThrow('includeTargets[0].targetType must be one of user, group.');
  });

  it('compiles every body and query schema of the API (a schema Ajv refuses would answer 500, not 400)', () => {
    for (const op of graphOperations) {
      for (const [name, schema] of [['body', op.body], ...Object.entries(op.query ?? {})] as const) {
        if (!schema) continue;
        try {
          validate(schema, Symbol('nothing valid'), schemas, name);
        } catch (e) {
          expect(e, `${op.operationId} ${name}`).toBeInstanceOf(BadRequestError);
        }
      }
    }
  });
});
