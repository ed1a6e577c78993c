import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from '@swc/core';
import { loggedComment, mismatch, parseExpected } from './doctest.js';

/** One fenced code block found under an `@example` tag of a TSDoc comment. */
export interface DocExample {
  /** Source file, relative to the directory that was scanned. */
  file: string;
  /** 1-based line of the example's tag. */
  line: number;
  /** The declaration the comment documents (best effort: the first identifier after the comment). */
  symbol: string;
  code: string;
  /** 1-based line of the example's first line of code in `file` (for messages). */
  codeLine?: number;
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listSources(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** Extracts the fenced code of every `@example` in the TSDoc comments of the `.ts` files under `dir`. */
export function extractExamples(dir: string): DocExample[] {
  const examples: DocExample[] = [];
  for (const file of listSources(dir)) {
    const text = readFileSync(file, 'utf8');
    const commentRe = /\/\*\*([\s\S]*?)\*\//g;
    let m: RegExpExecArray | null;
    while ((m = commentRe.exec(text))) {
      const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 300);
      const sym =
        /(?:function|class|const|interface|type|let)\s+([A-Za-z0-9_$]+)|^\s*(?:(?:public|protected|static|override|readonly|get|async)\s+)*([A-Za-z0-9_$]+)\s*[(<:]/m.exec(
          after,
        );
      const symbol = sym ? (sym[1] ?? sym[2]) : '?';
      const startLine = text.slice(0, m.index).split('\n').length;
      for (let i = 0; i < body.length; i++) {
        if (!body[i].trim().startsWith('@example')) continue;
        let j = i + 1;
        while (j < body.length && !body[j].trim().startsWith('```')) j++;
        const fenceStart = j;
        j++;
        while (j < body.length && !body[j].trim().startsWith('```')) j++;
        if (fenceStart < body.length && j < body.length) {
          const code = body.slice(fenceStart + 1, j).join('\n');
          examples.push({ file: relative(dir, file), line: startLine + i, symbol, code, codeLine: startLine + fenceStart + 1 });
        }
      }
    }
  }
  return examples;
}

/** Options of {@link runExample}. */
export interface RunExampleOptions {
  /** Assert the expected-output comments of `console.log` lines (see doctest.ts); default true. */
  assertOutput?: boolean;
  /**
   * What tensors left behind do: `'fail'` (the default, for `@example`s) or `'free'` (the guides,
   * narrative programs whose objects live to the end of the page, are freed without failing).
   */
  leaks?: 'fail' | 'free';
}

/**
 * Rewrites each `console.log(` that carries an expected-output comment into a call of `__log(n, `,
 * where n indexes the returned expectations.
 */
export function instrumentLogs(code: string): { code: string; expectations: { line: number; comment: string }[] } {
  const expectations: { line: number; comment: string }[] = [];
  const lines = code.split('\n').map((line, i) => {
    const logged = loggedComment(line);
    if (logged?.comment === undefined || logged.comment === '') return line;
    expectations.push({ line: i, comment: logged.comment });
    return `${line.slice(0, logged.start)}__log(${expectations.length - 1}, ${line.slice(logged.start + 'console.log('.length)}`;
  });
  return { code: lines.join('\n'), expectations };
}

/**
 * Runs one example: TypeScript is stripped, imports become calls to `requireFn` (pass the test
 * file's own `require`, so jest's module mapping applies) and the body runs inside an async
 * function, so examples may `await`.
 *
 * Each `console.log(...)` followed by a `// value` comment is an assertion: the printed arguments
 * must match the comment (doctest.ts gives the rules), and a commented line that never prints
 * fails too. A `console.log` without a comment prints nothing and is not checked. An example that
 * leaves tensors behind fails (it must dispose what it makes, or use `tf.tidy`); the leaked tensors
 * are freed anyway so the next example starts clean.
 */
export async function runExample(example: DocExample, requireFn: (id: string) => unknown, options: RunExampleOptions = {}): Promise<void> {
  const where = (line: number) => `${example.file}:${(example.codeLine ?? example.line + 2) + line}`;
  const assertOutput = options.assertOutput ?? true;
  const instrumented = assertOutput ? instrumentLogs(example.code) : { code: example.code, expectations: [] };
  const { code } = transformSync(`${instrumented.code}\nexport {};`, {
    filename: `${example.file}.example.ts`,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs', ignoreDynamic: true },
  });
  const module = { exports: {} as Record<string, unknown> };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  const body = new AsyncFunction('require', 'module', 'exports', 'console', '__log', code);
  const quiet = { ...console, log: () => undefined, info: () => undefined };
  const printed = new Set<number>();
  const log = (index: number, ...args: unknown[]) => {
    const { line, comment } = instrumented.expectations[index];
    printed.add(index);
    let expected;
    try {
      expected = parseExpected(comment, args.length);
    } catch (error) {
      throw new Error(`${where(line)}: ${(error as Error).message}`);
    }
    for (let i = 0; i < args.length; i++) {
      const why = mismatch(args[i], expected[i]);
      if (why !== undefined) {
        const arg = args.length > 1 ? ` (argument ${i + 1})` : '';
        throw new Error(`${where(line)}: console.log printed something else than its comment \`// ${comment}\`${arg}: ${why}`);
      }
    }
  };
  const tf = requireFn('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
  const before = tf.memory().numTensors;
  tf.engine().startScope();
  let leaked = 0;
  try {
    await body(requireFn, module, module.exports, quiet, log);
    leaked = tf.memory().numTensors - before;
  } finally {
    tf.engine().endScope();
  }
  const silent = instrumented.expectations.filter((_, i) => !printed.has(i));
  if (silent.length > 0) {
    throw new Error(`${silent.map((e) => where(e.line)).join(', ')}: the console.log with an expected value never ran`);
  }
  if (leaked !== 0 && options.leaks !== 'free') {
    throw new Error(
      `${where(0)} (${example.symbol}): the example leaves ${leaked} tensor(s) behind; dispose what it makes or wrap it in tf.tidy`,
    );
  }
}

/**
 * Defines a package's doc-example tests: one test per `@example` found under `<testDir>/../src`,
 * each running {@link runExample} (printed values asserted, leaks failing). Every package's
 * `test/examples.test.ts` is this one call, so `nx test <package>` covers its own examples.
 */
export function testExamples(testDir: string, requireFn: (id: string) => unknown): void {
  const examples = extractExamples(join(testDir, '../src'));
  it('finds examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  it.each(examples.map((e) => [`${e.file}:${e.line} (${e.symbol})`, e] as const))(
    '%s prints what it says and frees its tensors',
    async (_name, example) => {
      await runExample(example, requireFn);
    },
  );
}
