import { filterError as fail } from './filterError.js';
import type { FilterLiteral, FilterNode, FilterPath } from './FilterNode.js';

type Token = { kind: 'ident' | 'string' | 'number' | 'datetime' | 'punct'; text: string; pos: number };

const MAX_LENGTH = 2000;
const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
const FUNCTIONS = ['startswith', 'endswith'] as const;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?/;

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= s.length) fail(`the string that starts at position ${i + 1} is not closed with '.`);
        if (s[j] === "'") {
          // OData escapes a quote inside a string by doubling it.
          if (s[j + 1] !== "'") break;
          value += "'";
          j += 2;
          continue;
        }
        value += s[j];
        j++;
      }
      tokens.push({ kind: 'string', text: value, pos: i + 1 });
      i = j + 1;
      continue;
    }
    const rest = s.slice(i);
    const match = (kind: Token['kind'], re: RegExp): boolean => {
      const m = re.exec(rest);
      if (!m) return false;
      tokens.push({ kind, text: m[0], pos: i + 1 });
      i += m[0].length;
      return true;
    };
    if (match('datetime', DATETIME) || match('number', /^-?\d+(\.\d+)?/) || match('ident', /^[A-Za-z_][A-Za-z0-9_]*/)) continue;
    if ('()/:,'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: i + 1 });
      i++;
      continue;
    }
    fail(`unexpected character '${c}' at position ${i + 1}.`);
  }
  return tokens;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) fail('it is empty.');
    const node = this.or();
    const extra = this.peek();
    if (extra) fail(`unexpected '${extra.text}' at position ${extra.pos}; combine conditions with 'and' or 'or'.`);
    return node;
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

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord(this.peek(), 'or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord(this.peek(), 'and')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    const t = this.peek();
    if (this.isWord(t, 'not')) {
      this.i++;
      return { kind: 'not', operand: this.unary() };
    }
    if (this.isPunct(t, '(')) {
      this.i++;
      const inner = this.or();
      this.expectPunct(')', 'to close the parenthesis');
      return inner;
    }
    const fn = FUNCTIONS.find((f) => this.isWord(t, f));
    if (fn && this.isPunct(this.peek(1), '(')) {
      this.i += 2;
      const path = this.path();
      const label = path.parts.join('/');
      this.expectPunct(',', `after '${label}' in ${fn}()`);
      const value = this.literal(label);
      this.expectPunct(')', `to close ${fn}()`);
      return { kind: 'call', fn, path, value };
    }
    return this.comparison();
  }

  /** `a/b/c`; stops before `/any(`, which comparison() turns into a lambda. */
  private path(): FilterPath {
    const first = this.peek();
    if (first?.kind !== 'ident') fail(`expected a property name ${first ? `at position ${first.pos}, found '${first.text}'` : 'at the end'}.`);
    const parts = [first.text];
    this.i++;
    while (this.isPunct(this.peek(), '/') && this.peek(1)?.kind === 'ident' && !(this.isWord(this.peek(1), 'any') && this.isPunct(this.peek(2), '('))) {
      parts.push(this.peek(1)!.text);
      this.i += 2;
    }
    return { parts, pos: first.pos };
  }

  private comparison(): FilterNode {
    const path = this.path();
    const label = path.parts.join('/');
    if (this.isPunct(this.peek(), '/') && this.isWord(this.peek(1), 'any')) {
      this.i += 2;
      this.expectPunct('(', `after ${label}/any`);
      const v = this.peek();
      if (v?.kind !== 'ident') fail(`expected a variable name in ${label}/any(${v ? `, found '${v.text}'` : ''}.`);
      this.i++;
      this.expectPunct(':', `after the variable '${v.text}' in ${label}/any(`);
      const body = this.or();
      this.expectPunct(')', `to close ${label}/any(`);
      return { kind: 'any', collection: path, variable: v.text, body };
    }
    const opToken = this.peek();
    const word = opToken?.kind === 'ident' ? opToken.text.toLowerCase() : '';
    if (word === 'in') {
      this.i++;
      this.expectPunct('(', `after '${label} in'`);
      const values = [this.literal(label)];
      while (this.isPunct(this.peek(), ',')) {
        this.i++;
        values.push(this.literal(label));
      }
      this.expectPunct(')', `to close '${label} in (...)'`);
      return { kind: 'in', path, values };
    }
    const op = COMPARISONS.find((o) => o === word);
    if (!op) {
      fail(`expected an operator (${COMPARISONS.join(', ')}, in) after '${label}'${opToken ? ` at position ${opToken.pos}, found '${opToken.text}'` : ''}.`);
    }
    this.i++;
    return { kind: 'compare', op, path, value: this.literal(label) };
  }

  private literal(after: string): FilterLiteral {
    const t = this.peek();
    if (!t) fail(`expected a value after '${after}' at the end.`);
    this.i++;
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'datetime') {
      const ms = Date.parse(/T/.test(t.text) ? t.text : `${t.text}T00:00:00Z`);
      if (Number.isNaN(ms)) fail(`'${t.text}' at position ${t.pos} is not a valid date and time.`);
      return { kind: 'datetime', value: ms, text: t.text };
    }
    const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
    if (word === 'null') return { kind: 'null' };
    fail(`expected a value after '${after}' at position ${t.pos}, found '${t.text}' (quote text as 'text').`);
  }
}

/**
 * Parse an OData `$filter` into its syntax tree: comparisons (`eq ne gt ge lt le`), `in (...)`,
 * `startswith(p, 'x')`, `endswith(p, 'x')`, `collection/any(x: ...)`, combined with `and`, `or`, `not` and
 * parentheses. Which properties and operators a resource accepts is compileFilter's business. A syntax error is a
 * BadRequestError that says what and where.
 */
export function parseFilter(filter: string): FilterNode {
  if (filter.length > MAX_LENGTH) fail(`it is longer than ${MAX_LENGTH} characters.`);
  return new Parser(tokenize(filter)).parse();
}
