import { BadRequestError } from '../errors.js';
import type { AuditFieldType, AuditFilterSchema } from './AuditFilterSchema.js';

/** A compiled `$filter`: the test each record must pass, and the time range it implies (to read less). */
export interface AuditFilter {
  test(record: Record<string, unknown>): boolean;
  /** Earliest time a matching record can have, ms since the epoch. */
  fromMs?: number;
  /** Latest time a matching record can have, ms since the epoch. */
  toMs?: number;
}

type Token = { kind: 'ident' | 'string' | 'number' | 'datetime' | 'punct'; text: string; pos: number };
type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'datetime'; value: number };
type Test = (subject: unknown) => boolean;
interface Compiled {
  test: Test;
  from?: number;
  to?: number;
}

const MAX_LENGTH = 2000;
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type Operator = (typeof OPERATORS)[number];
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?/;

function fail(message: string): never {
  throw new BadRequestError(`Invalid $filter: ${message}`);
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = s.slice(i);
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= s.length) fail(`the string that starts at position ${i + 1} is not closed with '.`);
        if (s[j] === "'") {
          // OData escapes a quote inside a string by doubling it.
          if (s[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += s[j];
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos: i + 1 });
      i = j + 1;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      tokens.push({ kind: 'datetime', text: dt[0], pos: i + 1 });
      i += dt[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', text: num[0], pos: i + 1 });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos: i + 1 });
      i += ident[0].length;
      continue;
    }
    if ('()/:,'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: i + 1 });
      i++;
      continue;
    }
    fail(`unexpected character '${c}' at position ${i + 1}.`);
  }
  return tokens;
}

function valueAt(subject: unknown, path: string[]): unknown {
  let v = subject;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** Compare a record's value with a literal; strings ignore case, as UPNs and activity names do in Graph. */
function compare(type: AuditFieldType, op: Operator, actual: unknown, literal: Literal): boolean {
  let a: number | string;
  let b: number | string;
  if (type === 'string') {
    if (typeof actual !== 'string') return op === 'ne';
    a = actual.toLowerCase();
    b = (literal.value as string).toLowerCase();
  } else if (type === 'datetime') {
    a = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    if (Number.isNaN(a)) return op === 'ne';
    b = literal.value as number;
  } else {
    if (typeof actual !== 'number') return op === 'ne';
    a = actual;
    b = literal.value as number;
  }
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/** Where in the grammar a path is read: the record itself, or the variable of an `any()` lambda. */
type Scope = { kind: 'record' } | { kind: 'lambda'; variable: string; collection: string; item: Record<string, AuditFieldType> | AuditFieldType };

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly fields: AuditFilterSchema,
  ) {}

  parse(): Compiled {
    if (this.tokens.length === 0) fail('it is empty.');
    const c = this.or({ kind: 'record' });
    const extra = this.peek();
    if (extra) fail(`unexpected '${extra.text}' at position ${extra.pos}; combine conditions with 'and' or 'or'.`);
    return c;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isWord(t: Token | undefined, word: string): boolean {
    return t?.kind === 'ident' && t.text.toLowerCase() === word;
  }

  private isPunct(t: Token | undefined, p: string): boolean {
    return t?.kind === 'punct' && t.text === p;
  }

  private expectPunct(p: string, what: string): void {
    const t = this.peek();
    if (!this.isPunct(t, p)) fail(`expected '${p}' ${what}${t ? ` at position ${t.pos}, found '${t.text}'` : ' at the end'}.`);
    this.i++;
  }

  private or(scope: Scope): Compiled {
    let left = this.and(scope);
    while (this.isWord(this.peek(), 'or')) {
      this.i++;
      const a = left.test;
      const b = this.and(scope).test;
      // Either side may match, so neither side's time range holds for the whole.
      left = { test: (s) => a(s) || b(s) };
    }
    return left;
  }

  private and(scope: Scope): Compiled {
    let left = this.unary(scope);
    while (this.isWord(this.peek(), 'and')) {
      this.i++;
      const right = this.unary(scope);
      const a = left.test;
      const b = right.test;
      left = {
        test: (s) => a(s) && b(s),
        ...bound('from', Math.max, left.from, right.from),
        ...bound('to', Math.min, left.to, right.to),
      };
    }
    return left;
  }

  private unary(scope: Scope): Compiled {
    if (this.isWord(this.peek(), 'not')) {
      this.i++;
      const inner = this.unary(scope).test;
      return { test: (s) => !inner(s) };
    }
    if (this.isPunct(this.peek(), '(')) {
      this.i++;
      const inner = this.or(scope);
      this.expectPunct(')', 'to close the parenthesis');
      return inner;
    }
    if (this.isWord(this.peek(), 'startswith') && this.isPunct(this.peek(1), '(')) return this.startsWith(scope);
    return this.comparison(scope);
  }

  private startsWith(scope: Scope): Compiled {
    this.i += 2;
    const { path, type, label } = this.path(scope);
    if (type !== 'string') fail(`startswith() takes a text property; '${label}' is not one.`);
    this.expectPunct(',', `after '${label}' in startswith()`);
    const lit = this.literal(label);
    if (lit.kind !== 'string') fail(`startswith() on '${label}' takes a quoted text.`);
    this.expectPunct(')', 'to close startswith()');
    const prefix = lit.value.toLowerCase();
    return { test: (s) => String(valueAt(s, path) ?? '').toLowerCase().startsWith(prefix) };
  }

  /** `a/b/c`, resolved against the fields (ignoring case); `collection/any(...)` is handed to lambda(). */
  private path(scope: Scope): { path: string[]; type: AuditFieldType; label: string } {
    const first = this.peek();
    if (first?.kind !== 'ident') fail(`expected a property name ${first ? `at position ${first.pos}, found '${first.text}'` : 'at the end'}.`);
    const parts = [first.text];
    this.i++;
    while (this.isPunct(this.peek(), '/') && this.peek(1)?.kind === 'ident' && !(this.isWord(this.peek(1), 'any') && this.isPunct(this.peek(2), '('))) {
      parts.push(this.peek(1)!.text);
      this.i += 2;
    }
    const label = parts.join('/');
    if (scope.kind === 'lambda') {
      if (parts[0] !== scope.variable) fail(`inside ${scope.collection}/any(), compare ${scope.variable} or ${scope.variable}/<property>, not '${label}'.`);
      const item = scope.item;
      if (typeof item === 'string') {
        if (parts.length > 1) fail(`${scope.collection} holds plain values: compare ${scope.variable} itself, not '${label}'.`);
        return { path: [], type: item, label };
      }
      const name = parts.slice(1).join('/');
      const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase());
      if (!key) fail(`'${label}' is not supported; inside ${scope.collection}/any() use ${Object.keys(item).map((k) => `${scope.variable}/${k}`).join(', ')}.`);
      return { path: key.split('/'), type: item[key]!, label };
    }
    const key = Object.keys(this.fields.scalars).find((k) => k.toLowerCase() === label.toLowerCase());
    if (!key) {
      const collection = Object.keys(this.fields.collections).find((k) => k.toLowerCase() === label.toLowerCase());
      if (collection) fail(`'${collection}' is a collection: filter it with ${collection}/any(x: ...).`);
      const known = [...Object.keys(this.fields.scalars), ...Object.keys(this.fields.collections).map((k) => `${k}/any()`)];
      fail(`the property '${label}' is not supported. Supported: ${known.join(', ')}.`);
    }
    return { path: key.split('/'), type: this.fields.scalars[key]!, label: key };
  }

  private comparison(scope: Scope): Compiled {
    const start = this.i;
    // A lambda: collection/any(v: ...).
    if (scope.kind === 'record' && this.peek()?.kind === 'ident' && this.isPunct(this.peek(1), '/') && this.isWord(this.peek(2), 'any')) {
      return this.lambda();
    }
    const { path, type, label } = this.path(scope);
    if (scope.kind === 'record' && this.isPunct(this.peek(), '/') && this.isWord(this.peek(1), 'any')) {
      this.i = start;
      fail(`'${label}' is not a collection; any() works on ${Object.keys(this.fields.collections).join(', ')}.`);
    }
    const opToken = this.peek();
    const op = opToken?.kind === 'ident' ? (opToken.text.toLowerCase() as Operator) : undefined;
    if (!op || !OPERATORS.includes(op)) {
      fail(`expected an operator (${OPERATORS.join(', ')}) after '${label}'${opToken ? ` at position ${opToken.pos}, found '${opToken.text}'` : ''}.`);
    }
    this.i++;
    if (type === 'string' && op !== 'eq' && op !== 'ne') fail(`'${label}' is text: use eq, ne or startswith(), not ${op}.`);
    const raw = this.literal(label);
    const lit = this.coerce(raw, type, label);
    const test: Test = (s) => compare(type, op, valueAt(s, path), lit);
    if (scope.kind === 'record' && type === 'datetime' && label === this.fields.time) {
      const at = lit.value as number;
      if (op === 'ge' || op === 'gt') return { test, from: at };
      if (op === 'le' || op === 'lt') return { test, to: at };
      if (op === 'eq') return { test, from: at, to: at };
    }
    return { test };
  }

  private lambda(): Compiled {
    const nameToken = this.peek()!;
    const collection = Object.keys(this.fields.collections).find((k) => k.toLowerCase() === nameToken.text.toLowerCase());
    if (!collection) {
      fail(`any() is not supported on '${nameToken.text}'; it works on ${Object.keys(this.fields.collections).join(', ')}.`);
    }
    this.i += 3;
    this.expectPunct('(', `after ${collection}/any`);
    const v = this.peek();
    if (v?.kind !== 'ident') fail(`expected a variable name in ${collection}/any(${v ? `, found '${v.text}'` : ''}.`);
    this.i++;
    this.expectPunct(':', `after the variable '${v.text}' in ${collection}/any(`);
    const body = this.or({ kind: 'lambda', variable: v.text, collection, item: this.fields.collections[collection]! }).test;
    this.expectPunct(')', `to close ${collection}/any(`);
    return { test: (s) => {
      const items = valueAt(s, [collection]);
      return Array.isArray(items) && items.some((item) => body(item));
    } };
  }

  private literal(after: string): Literal {
    const t = this.peek();
    if (!t) fail(`expected a value after '${after}' at the end.`);
    this.i++;
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'datetime') {
      const ms = Date.parse(/T/.test(t.text) ? t.text : `${t.text}T00:00:00Z`);
      if (Number.isNaN(ms)) fail(`'${t.text}' at position ${t.pos} is not a valid date and time.`);
      return { kind: 'datetime', value: ms };
    }
    fail(`expected a value after '${after}' at position ${t.pos}, found '${t.text}' (quote text as 'text').`);
  }

  private coerce(lit: Literal, type: AuditFieldType, label: string): Literal {
    if (type === 'string') {
      if (lit.kind !== 'string') fail(`'${label}' is text: quote the value, as in ${label} eq 'value'.`);
      return lit;
    }
    if (type === 'number') {
      if (lit.kind !== 'number') fail(`'${label}' is a number: write it without quotes, as in ${label} eq 0.`);
      return lit;
    }
    if (lit.kind === 'datetime') return lit;
    // Lenient: a quoted ISO time is what people often write.
    const ms = lit.kind === 'string' && DATETIME.test(lit.value) ? Date.parse(lit.value) : Number.NaN;
    if (Number.isNaN(ms)) fail(`'${label}' is a date and time: write it as in ${label} ge 2026-01-31T00:00:00Z.`);
    return { kind: 'datetime', value: ms };
  }
}

function bound(name: 'from' | 'to', pick: (a: number, b: number) => number, a?: number, b?: number): Partial<Compiled> {
  if (a === undefined) return b === undefined ? {} : { [name]: b };
  return { [name]: b === undefined ? a : pick(a, b) };
}

/**
 * Parse the OData `$filter` subset the audit logs understand: comparisons (`eq ne gt ge lt le`) of the properties
 * in `fields` with quoted text, numbers or unquoted ISO 8601 times, `startswith(prop, 'x')`,
 * `collection/any(x: x/prop eq 'y')`, combined with `and`, `or`, `not` and parentheses. Anything else is a
 * BadRequestError that says what and where. An absent or blank filter matches everything.
 */
export function parseAuditFilter(filter: string | undefined, fields: AuditFilterSchema): AuditFilter {
  if (filter === undefined || filter.trim() === '') return { test: () => true };
  if (filter.length > MAX_LENGTH) fail(`it is longer than ${MAX_LENGTH} characters.`);
  const c = new Parser(tokenize(filter), fields).parse();
  return {
    test: (record) => c.test(record),
    ...(c.from !== undefined ? { fromMs: c.from } : {}),
    ...(c.to !== undefined ? { toMs: c.to } : {}),
  };
}
