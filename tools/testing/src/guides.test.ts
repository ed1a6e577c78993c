// Runs the TypeScript of every guide in docs/guides and every package README, so the
// documentation stays true. A guide's
// ```ts blocks form one program, read top to bottom (later blocks may use earlier names); their
// imports are merged and hoisted. Blocks fenced ```typescript are excerpts of code that is tested
// where it lives (the guide says where), and are not run here.
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExample } from './examples.js';

const dir = join(__dirname, '../../../docs/guides');

/** Joins a guide's ```ts blocks into one program with merged import statements. */
export function guideProgram(markdown: string): string {
  const lines = markdown.split('\n');
  const named = new Map<string, Set<string>>();
  const other = new Set<string>();
  const body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() !== '```'; j++) {
      const line = lines[j];
      const m = /^import (type )?\{([^}]*)\} from '([^']+)';\s*$/.exec(line);
      if (m) {
        const set = named.get(m[3]) ?? new Set<string>();
        for (const name of m[2]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean))
          set.add(m[1] ? `type ${name}` : name);
        named.set(m[3], set);
      } else if (/^import /.test(line)) other.add(line);
      else body.push(line);
    }
    i = j;
  }
  const imports = [...other, ...[...named].map(([mod, names]) => `import { ${[...names].join(', ')} } from '${mod}';`)];
  return [...imports, ...body].join('\n');
}

const guides = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();

it('finds the guides', () => {
  expect(guides.length).toBeGreaterThan(0);
});

it.each(guides)('%s prints what it says', async (file) => {
  const code = guideProgram(readFileSync(join(dir, file), 'utf8'));
  const before = tf.memory().numTensors;
  await runExample({ file, line: 1, symbol: 'guide', code }, require, { leaks: 'free' });
  expect(tf.memory().numTensors - before).toBe(0);
});

const packagesDir = join(__dirname, '../../../packages');
const readmes = readdirSync(packagesDir)
  .map((name) => join(packagesDir, name, 'README.md'))
  .filter((file) => existsSync(file) && readFileSync(file, 'utf8').includes('```ts'));

it('finds the package READMEs with examples', () => {
  expect(readmes.length).toBeGreaterThanOrEqual(7);
});

it.each(readmes.map((f) => [f.split('/').slice(-2).join('/'), f] as const))('%s prints what it says', async (name, file) => {
  const code = guideProgram(readFileSync(file, 'utf8'));
  const before = tf.memory().numTensors;
  await runExample({ file: name, line: 1, symbol: 'README', code }, require, { leaks: 'free' });
  expect(tf.memory().numTensors - before).toBe(0);
});
