import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from '@swc/core';

/** One fenced code block found under an `@example` tag of a TSDoc comment. */
export interface DocExample {
  /** Source file, relative to the directory that was scanned. */
  file: string;
  /** 1-based line of the example's tag. */
  line: number;
  /** The declaration the comment documents (best effort: the first identifier after the comment). */
  symbol: string;
  code: string;
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
      const sym = /(?:function|class|const|interface|type|let)\s+([A-Za-z0-9_$]+)|^\s*(?:(?:public|protected|static|override|readonly|get|async)\s+)*([A-Za-z0-9_$]+)\s*[(<:]/m.exec(after);
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
          examples.push({ file: relative(dir, file), line: startLine + i, symbol, code: body.slice(fenceStart + 1, j).join('\n') });
        }
      }
    }
  }
  return examples;
}

/**
 * Runs one example: TypeScript is stripped, imports become calls to `requireFn` (pass the test
 * file's own `require`, so jest's module mapping applies) and the body runs inside an async
 * function, so examples may `await`. Tensors the example leaves behind are freed afterwards.
 */
export async function runExample(example: DocExample, requireFn: (id: string) => unknown): Promise<void> {
  const { code } = transformSync(`${example.code}\nexport {};`, {
    filename: `${example.file}.example.ts`,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs', ignoreDynamic: true },
  });
  const module = { exports: {} as Record<string, unknown> };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  const body = new AsyncFunction('require', 'module', 'exports', 'console', code);
  const quiet = { ...console, log: () => undefined, info: () => undefined };
  // Examples are written for readers, not for tensor bookkeeping: a scope frees what they leave.
  const tf = requireFn('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
  tf.engine().startScope();
  try {
    await body(requireFn, module, module.exports, quiet);
  } finally {
    tf.engine().endScope();
  }
}
