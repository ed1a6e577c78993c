// The local lint rules on small trees written to a temporary directory: each rule must accept the
// layout docs/architecture.md describes and reject the one thing it exists to catch.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import vae, { findPath, manifestOf } from './vae-plugin.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });

const root = mkdtempSync(join(tmpdir(), 'vae-lint-'));
after(() => rmSync(root, { recursive: true, force: true }));
function write(path, text) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
  return join(root, path);
}

// A package @vae/low (no @vae dependencies) and @vae/high (depends on @vae/low).
write('low/package.json', JSON.stringify({ name: '@vae/low', dependencies: {} }));
write(
  'high/package.json',
  JSON.stringify({ name: '@vae/high', dependencies: { '@vae/low': '*' }, devDependencies: { '@vae/extra': '*' } }),
);
write('ws/package.json', JSON.stringify({ name: 'ws', workspaces: ['*'] }));
// a -> b -> c -> a is a cycle; d -> b is not part of it; t imports b only for types.
const a = write('low/src/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
const b = write('low/src/b.ts', "import { c } from './c.js';\nexport const b = c;\n");
write('low/src/c.ts', "import { a } from './a.js';\nexport const c = 1;\n");
const d = write('low/src/d.ts', "import { b } from './b.js';\nexport const d = b;\n");
const typed = write('low/src/typed.ts', "import type { T } from './typed-user.js';\nexport type U = T;\n");
write('low/src/typed-user.ts', "import type { U } from './typed.js';\nexport type T = U;\n");

describe('graph helpers', () => {
  it('finds the path that closes a cycle, and none where there is none', () => {
    assert.deepEqual(
      findPath(b, a)?.map((f) => f.slice(root.length)),
      ['/low/src/b.ts', '/low/src/c.ts', '/low/src/a.ts'],
    );
    assert.equal(findPath(b, d), undefined);
  });
  it('reads the dependencies from the nearest package.json', () => {
    const m = manifestOf(join(root, 'high/src/x.ts'));
    assert.equal(m.name, '@vae/high');
    assert.deepEqual(m.runtime, ['@vae/low']);
    assert.deepEqual(m.dev, ['@vae/extra']);
  });
});

tester.run('file-name-case', vae.rules['file-name-case'], {
  valid: [
    { code: '', filename: join(root, 'low/src/von-mises-fisher.ts') },
    { code: '', filename: join(root, 'low/src/von-mises-fisher.test.ts') },
    { code: '', filename: join(root, 'tools/bench/run.mjs') },
  ],
  invalid: [
    {
      code: '',
      filename: join(root, 'low/src/von_mises_fisher.ts'),
      errors: [{ message: "File name 'von_mises_fisher.ts' is not kebab-case: rename it to 'von-mises-fisher.ts'." }],
    },
    {
      code: '',
      filename: join(root, 'low/src/vonMises.test.ts'),
      errors: [{ message: "File name 'vonMises.test.ts' is not kebab-case: rename it to 'von-mises.test.ts'." }],
    },
  ],
});

tester.run('no-cycle', vae.rules['no-cycle'], {
  valid: [
    { code: "import { b } from './b.js';", filename: d },
    { code: "import type { T } from './typed-user.js';", filename: typed },
    { code: "import * as tf from '@tensorflow/tfjs-core';", filename: a },
  ],
  invalid: [{ code: "import { b } from './b.js';", filename: a, errors: [{ messageId: 'cycle' }] }],
});

tester.run('import-direction', vae.rules['import-direction'], {
  valid: [
    { code: "import { x } from '@vae/low';", filename: join(root, 'high/src/x.ts') },
    { code: "export { x } from '@vae/low';", filename: join(root, 'high/src/index.ts') },
    { code: "import { expectClose } from '@vae/testing';", filename: join(root, 'high/src/x.test.ts') },
    { code: "import { y } from '@vae/extra';", filename: join(root, 'high/test/y.test.ts') },
    { code: "import { y } from '@vae/high';", filename: join(root, 'high/test/examples.test.ts') },
    { code: "import { y } from '@vae/anything';", filename: join(root, 'ws/tools/bench.mjs') },
  ],
  invalid: [
    { code: "import { x } from '@vae/high';", filename: join(root, 'low/src/x.ts'), errors: [{ messageId: 'undeclared' }] },
    { code: "export * from '@vae/high';", filename: join(root, 'low/src/index.ts'), errors: [{ messageId: 'undeclared' }] },
    { code: "const m = await import('@vae/high');", filename: join(root, 'low/src/x.ts'), errors: [{ messageId: 'undeclared' }] },
    { code: "const m = require('@vae/high');", filename: join(root, 'low/src/x.ts'), errors: [{ messageId: 'undeclared' }] },
    { code: "import { y } from '@vae/extra';", filename: join(root, 'high/src/y.ts'), errors: [{ messageId: 'undeclared' }] },
    { code: "import { expectClose } from '@vae/testing';", filename: join(root, 'high/src/x.ts'), errors: [{ messageId: 'undeclared' }] },
    { code: "import { x } from '@vae/low/src/x.js';", filename: join(root, 'high/src/x.ts'), errors: [{ messageId: 'deep' }] },
    { code: "import { x } from '@vae/low/dist/index.js';", filename: join(root, 'high/test/x.test.ts'), errors: [{ messageId: 'deep' }] },
    { code: "import { y } from '@vae/high';", filename: join(root, 'high/src/y.ts'), errors: [{ messageId: 'self' }] },
  ],
});

describe('docs/architecture.md', () => {
  it("lists exactly each package's @vae dependencies in its import-direction diagram", async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const repo = join(import.meta.dirname, '..', '..');
    const page = readFileSync(join(repo, 'docs', 'architecture.md'), 'utf8');
    const diagram = /## Allowed import directions[\s\S]*?```text\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
    const documented = {};
    for (const line of diagram.trim().split('\n')) {
      const [from, to] = line.split('-->').map((s) => s.trim());
      documented[from] = to.startsWith('(')
        ? []
        : to
            .split(',')
            .map((s) => `@vae/${s.trim()}`)
            .sort();
    }
    const actual = {};
    for (const dir of readdirSync(join(repo, 'packages'))) {
      const json = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'));
      actual[json.name] = Object.keys({ ...json.dependencies, ...json.peerDependencies })
        .filter((n) => n.startsWith('@vae/'))
        .sort();
    }
    assert.deepEqual(documented, actual);
  });
});
