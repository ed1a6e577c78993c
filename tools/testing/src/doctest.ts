// The expected-output language of the doc examples (stdlib's doctest style): the comment after a
// `console.log(...)` in an `@example` is what the call prints, and the example runner asserts it.
//
//   console.log(x.arraySync());  // [0.6931, -Infinity]     numbers to the printed precision
//   console.log(a.shape, b);     // [4, 2] 'cpu'            one value per argument
//   console.log(d.mean());       // ~0.97: Monte Carlo      `~`: within 5% (or one unit of the last digit)
//   console.log(e.message);      // '...: not found...'    `...` inside quotes matches anything
//   console.log(kind);           // spherical               a bare word is a string
//
// A number written with d decimals matches within one unit of its last digit (1e-d, or the
// mantissa's last digit in 1.8e-35 notation): the rounding of the print plus float32 noise. An
// integer written without a decimal point matches to float32 round-off (1e-6 absolute + relative).
// Arrays and objects match structurally (typed arrays count as arrays). Text after the values
// (`// 0.3069 = 1 - log 2`, `// true: deterministic`) is a note for the reader and is not read.

/** One parsed expected value. */
export type Expected =
  | { kind: 'number'; value: number; tolerance: number }
  | { kind: 'string'; value: string; pattern: boolean }
  | { kind: 'literal'; value: boolean | null | undefined }
  | { kind: 'array'; items: Expected[] }
  | { kind: 'object'; entries: [string, Expected][] }
  | { kind: 'approx'; inner: Expected };

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new Error(`cannot read the expected value \`${this.text}\` at column ${this.pos + 1}: ${what}`);
  }

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  peek(): string {
    this.skip();
    return this.text[this.pos] ?? '';
  }

  eat(char: string): void {
    if (this.peek() !== char) this.fail(`expected '${char}'`);
    this.pos++;
  }

  value(): Expected {
    const c = this.peek();
    if (c === '~') {
      this.pos++;
      return { kind: 'approx', inner: this.value() };
    }
    if (c === '[') return this.array();
    if (c === '{') return this.object();
    if (c === "'" || c === '"') return this.quoted(c);
    const rest = this.text.slice(this.pos);
    const num = /^[-+]?(?:Infinity|NaN|(\d+)(?:\.(\d+))?(?:e([-+]?\d+))?)(?![\w.])/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]), tolerance: tolerance(num) };
    }
    const word = /^[A-Za-z_$][\w$\-/.]*/.exec(rest);
    if (!word) this.fail('expected a value');
    this.pos += word[0].length;
    if (word[0] === 'true' || word[0] === 'false') return { kind: 'literal', value: word[0] === 'true' };
    if (word[0] === 'null') return { kind: 'literal', value: null };
    if (word[0] === 'undefined') return { kind: 'literal', value: undefined };
    return { kind: 'string', value: word[0], pattern: false };
  }

  array(): Expected {
    this.eat('[');
    const items: Expected[] = [];
    while (this.peek() !== ']') {
      items.push(this.value());
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail("expected ',' or ']'");
    }
    this.pos++;
    return { kind: 'array', items };
  }

  object(): Expected {
    this.eat('{');
    const entries: [string, Expected][] = [];
    while (this.peek() !== '}') {
      const key = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos));
      if (!key) this.fail('expected a key');
      this.pos += key[0].length;
      this.eat(':');
      entries.push([key[0], this.value()]);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++;
    return { kind: 'object', entries };
  }

  quoted(quote: string): Expected {
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail('unterminated string');
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return { kind: 'string', value, pattern: value.includes('...') };
  }
}

function tolerance(num: RegExpExecArray): number {
  const [, intPart, decimals, exponent] = num;
  if (intPart === undefined) return 0;
  const e = exponent === undefined ? 0 : Number(exponent);
  if (decimals === undefined && exponent === undefined) return 1e-6 + 1e-6 * Math.abs(Number(num[0]));
  return 10 ** (e - (decimals?.length ?? 0));
}

/**
 * Reads `count` expected values (one per argument of the `console.log`) from the start of a
 * comment; the rest of the comment is a note. Values may be separated by spaces or commas.
 */
export function parseExpected(comment: string, count: number): Expected[] {
  const parser = new Parser(comment);
  const values: Expected[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && parser.peek() === ',') parser.pos++;
    values.push(parser.value());
  }
  return values;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<number>).join(', ')}]`;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function asArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return undefined;
}

/** Returns why `actual` does not match `expected` (a path and a reason), or undefined when it does. */
export function mismatch(actual: unknown, expected: Expected, approx = false, path = ''): string | undefined {
  const at = path === '' ? '' : ` at ${path}`;
  switch (expected.kind) {
    case 'approx':
      return mismatch(actual, expected.inner, true, path);
    case 'number': {
      if (typeof actual !== 'number') return `expected a number${at}, got ${describe(actual)}`;
      const want = expected.value;
      if (Number.isNaN(want) || !Number.isFinite(want)) {
        return Object.is(actual, want) || (Number.isNaN(want) && Number.isNaN(actual)) ? undefined : `expected ${want}${at}, got ${actual}`;
      }
      const tol = approx ? Math.max(expected.tolerance, 0.05 * Math.abs(want)) : expected.tolerance;
      return Math.abs(actual - want) <= tol ? undefined : `expected ${want} (within ${tol.toPrecision(2)})${at}, got ${actual}`;
    }
    case 'string': {
      if (typeof actual !== 'string') return `expected the string '${expected.value}'${at}, got ${describe(actual)}`;
      if (!expected.pattern) return actual === expected.value ? undefined : `expected '${expected.value}'${at}, got '${actual}'`;
      const re = new RegExp(
        `^${expected.value
          .split('...')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[\\s\\S]*')}$`,
      );
      return re.test(actual) ? undefined : `expected text matching '${expected.value}'${at}, got '${actual}'`;
    }
    case 'literal':
      return actual === expected.value ? undefined : `expected ${String(expected.value)}${at}, got ${describe(actual)}`;
    case 'array': {
      const items = asArray(actual);
      if (items === undefined) return `expected an array${at}, got ${describe(actual)}`;
      if (items.length !== expected.items.length)
        return `expected ${expected.items.length} items${at}, got ${items.length}: ${describe(actual)}`;
      for (let i = 0; i < items.length; i++) {
        const why = mismatch(items[i], expected.items[i], approx, `${path}[${i}]`);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    case 'object': {
      if (actual === null || typeof actual !== 'object') return `expected an object${at}, got ${describe(actual)}`;
      const record = actual as Record<string, unknown>;
      const keys = Object.keys(record).sort().join(', ');
      const wanted = expected.entries
        .map(([k]) => k)
        .sort()
        .join(', ');
      if (keys !== wanted) return `expected the keys {${wanted}}${at}, got {${keys}}`;
      for (const [key, value] of expected.entries) {
        const why = mismatch(record[key], value, approx, `${path}.${key}`);
        if (why !== undefined) return why;
      }
      return undefined;
    }
  }
}

/** Where `console.log(` opens on a line and the comment after its closing parenthesis, if any. */
export function loggedComment(line: string): { start: number; comment: string | undefined } | undefined {
  const start = line.indexOf('console.log(');
  if (start < 0) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = start + 'console.log'.length; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      const m = /\/\/\s?(.*)$/.exec(line.slice(i + 1));
      return { start, comment: m ? m[1].trim() : undefined };
    }
  }
  return { start, comment: undefined };
}
