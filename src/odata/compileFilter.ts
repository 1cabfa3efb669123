import type { CompiledFilter } from './CompiledFilter.js';
import type { FilterFields, FilterFieldType } from './FilterFields.js';
import { filterError as fail } from './filterError.js';
import type { FilterLiteral, FilterNode, FilterPath } from './FilterNode.js';

type Test = (subject: unknown) => boolean;
interface Compiled {
  test: Test;
  from?: number;
  to?: number;
}
/** Where a path is read: the item itself, or the variable of an `any()` lambda. */
type Scope = { kind: 'item' } | { kind: 'lambda'; variable: string; collection: string; item: Record<string, FilterFieldType> | FilterFieldType };
type Value = string | number | boolean | null;

/** Options of one resource's `$filter`. */
export interface CompileOptions {
  /**
   * Called with `ne`, `not` or `endsWith` before they are accepted: Graph's directory accepts them only in an
   * advanced query, and the caller throws Graph's error when the request is not one.
   */
  advancedOperator?: (operator: 'ne' | 'not' | 'endsWith', property?: string) => void;
}

function valueAt(subject: unknown, path: string[]): unknown {
  let v = subject;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** A literal as a value of `type`; text is compared ignoring case, as UPNs and activity names are in Graph. */
function coerce(lit: FilterLiteral, type: FilterFieldType, label: string): Value {
  if (lit.kind === 'null') return null;
  if (type === 'string') {
    if (lit.kind !== 'string') fail(`'${label}' is text: quote the value, as in ${label} eq 'value'.`);
    return lit.value.toLowerCase();
  }
  if (type === 'number') {
    if (lit.kind !== 'number') fail(`'${label}' is a number: write it without quotes, as in ${label} eq 0.`);
    return lit.value;
  }
  if (type === 'boolean') {
    if (lit.kind !== 'boolean') fail(`'${label}' is true or false: write it without quotes, as in ${label} eq true.`);
    return lit.value;
  }
  if (lit.kind === 'datetime') return lit.value;
  // Lenient: a quoted ISO time is what people often write.
  const ms = lit.kind === 'string' && /^\d{4}-\d{2}-\d{2}/.test(lit.value) ? Date.parse(lit.value) : Number.NaN;
  if (Number.isNaN(ms)) fail(`'${label}' is a date and time: write it as in ${label} ge 2026-01-31T00:00:00Z.`);
  return ms;
}

/** An item's value in the form coerce() gives literals, null when absent. */
function actual(raw: unknown, type: FilterFieldType): Value {
  if (raw === undefined || raw === null) return null;
  if (type === 'string') return typeof raw === 'string' ? raw.toLowerCase() : null;
  if (type === 'datetime') {
    const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    return Number.isNaN(ms) ? null : ms;
  }
  return typeof raw === type ? (raw as number | boolean) : null;
}

function compare(op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', a: Value, b: Value): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null) return false;
  if (op === 'gt') return a > b;
  if (op === 'ge') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

function bound(name: 'from' | 'to', pick: (a: number, b: number) => number, a?: number, b?: number): Partial<Compiled> {
  if (a === undefined) return b === undefined ? {} : { [name]: b };
  return { [name]: b === undefined ? a : pick(a, b) };
}

class Compiler {
  constructor(
    private readonly fields: FilterFields,
    private readonly options: CompileOptions,
  ) {}

  node(n: FilterNode, scope: Scope): Compiled {
    switch (n.kind) {
      case 'or': {
        const a = this.node(n.left, scope).test;
        const b = this.node(n.right, scope).test;
        // Either side may match, so neither side's time range holds for the whole.
        return { test: (s) => a(s) || b(s) };
      }
      case 'and': {
        const left = this.node(n.left, scope);
        const right = this.node(n.right, scope);
        return {
          test: (s) => left.test(s) && right.test(s),
          ...bound('from', Math.max, left.from, right.from),
          ...bound('to', Math.min, left.to, right.to),
        };
      }
      case 'not': {
        this.options.advancedOperator?.('not');
        const inner = this.node(n.operand, scope).test;
        return { test: (s) => !inner(s) };
      }
      case 'any':
        return this.lambda(n, scope);
      case 'call': {
        const { path, type, label } = this.path(n.path, scope);
        if (n.fn === 'endswith') this.options.advancedOperator?.('endsWith', label);
        if (type !== 'string') fail(`${n.fn}() takes a text property; '${label}' is not one.`);
        if (n.value.kind !== 'string') fail(`${n.fn}() on '${label}' takes a quoted text.`);
        const part = n.value.value.toLowerCase();
        const starts = n.fn === 'startswith';
        return {
          test: (s) => {
            const v = actual(valueAt(s, path), 'string');
            return typeof v === 'string' && (starts ? v.startsWith(part) : v.endsWith(part));
          },
        };
      }
      case 'in': {
        const { path, type, label } = this.path(n.path, scope);
        const values = new Set(n.values.map((l) => coerce(l, type, label)));
        return { test: (s) => values.has(actual(valueAt(s, path), type)) };
      }
      case 'compare':
        return this.comparison(n, scope);
    }
  }

  private comparison(n: Extract<FilterNode, { kind: 'compare' }>, scope: Scope): Compiled {
    const { path, type, label } = this.path(n.path, scope);
    if (n.op === 'ne') this.options.advancedOperator?.('ne', label);
    if ((type === 'string' || type === 'boolean') && n.op !== 'eq' && n.op !== 'ne') {
      fail(`'${label}' is ${type === 'string' ? 'text: use eq, ne or startswith()' : 'true or false: use eq or ne'}, not ${n.op}.`);
    }
    const lit = coerce(n.value, type, label);
    const test: Test = (s) => compare(n.op, actual(valueAt(s, path), type), lit);
    if (scope.kind === 'item' && type === 'datetime' && label === this.fields.time && typeof lit === 'number') {
      if (n.op === 'ge' || n.op === 'gt') return { test, from: lit };
      if (n.op === 'le' || n.op === 'lt') return { test, to: lit };
      if (n.op === 'eq') return { test, from: lit, to: lit };
    }
    return { test };
  }

  private lambda(n: Extract<FilterNode, { kind: 'any' }>, scope: Scope): Compiled {
    const written = n.collection.parts.join('/');
    const names = Object.keys(this.fields.collections);
    if (scope.kind === 'lambda') fail(`any() inside ${scope.collection}/any() is not supported.`);
    const collection = names.find((k) => k.toLowerCase() === written.toLowerCase());
    if (!collection) {
      if (Object.keys(this.fields.scalars).some((k) => k.toLowerCase() === written.toLowerCase())) {
        fail(`'${written}' is not a collection; any() works on ${names.join(', ') || 'nothing here'}.`);
      }
      fail(`any() is not supported on '${written}'; it works on ${names.join(', ') || 'nothing here'}.`);
    }
    const body = this.node(n.body, { kind: 'lambda', variable: n.variable, collection, item: this.fields.collections[collection]! }).test;
    return {
      test: (s) => {
        const items = valueAt(s, [collection]);
        return Array.isArray(items) && items.some((item) => body(item));
      },
    };
  }

  /** A path resolved against the fields (ignoring case). */
  private path(p: FilterPath, scope: Scope): { path: string[]; type: FilterFieldType; label: string } {
    const label = p.parts.join('/');
    if (scope.kind === 'lambda') {
      if (p.parts[0] !== scope.variable) fail(`inside ${scope.collection}/any(), compare ${scope.variable} or ${scope.variable}/<property>, not '${label}'.`);
      const item = scope.item;
      if (typeof item === 'string') {
        if (p.parts.length > 1) fail(`${scope.collection} holds plain values: compare ${scope.variable} itself, not '${label}'.`);
        return { path: [], type: item, label };
      }
      const name = p.parts.slice(1).join('/');
      const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase());
      if (!key) fail(`'${label}' is not supported; inside ${scope.collection}/any() use ${Object.keys(item).map((k) => `${scope.variable}/${k}`).join(', ')}.`);
      return { path: key.split('/'), type: item[key]!, label };
    }
    const key = Object.keys(this.fields.scalars).find((k) => k.toLowerCase() === label.toLowerCase());
    if (!key) {
      const collection = Object.keys(this.fields.collections).find((k) => k.toLowerCase() === label.toLowerCase());
      if (collection) fail(`'${collection}' is a collection: filter it with ${collection}/any(x: ...).`);
      const known = [...Object.keys(this.fields.scalars), ...Object.keys(this.fields.collections).map((k) => `${k}/any()`)];
      fail(`the property '${label}' is not supported on ${this.fields.resource}. Supported: ${known.join(', ')}.`);
    }
    return { path: key.split('/'), type: this.fields.scalars[key]!, label: key };
  }
}

/**
 * Check a parsed `$filter` against one resource's properties and turn it into a test over the resource's Graph
 * JSON. Every resource of the API filters through this and parseFilter, each with its own field table.
 */
export function compileFilter(node: FilterNode, fields: FilterFields, options: CompileOptions = {}): CompiledFilter {
  const c = new Compiler(fields, options).node(node, { kind: 'item' });
  return {
    test: (item) => c.test(item),
    ...(c.from !== undefined ? { fromMs: c.from } : {}),
    ...(c.to !== undefined ? { toMs: c.to } : {}),
  };
}
