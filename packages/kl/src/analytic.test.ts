import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Independent, Normal } from '@vae/distributions';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { analyticKL } from './analytic.js';
import { klIndependentIndependent } from './pairs/independent.js';
import { klNormalNormal } from './pairs/normal.js';
import { createKLRegistry } from './registry.js';

const normal = (loc: number[], scale: number) => new Normal({ loc, scale });
const independent = (loc: number[], scale: number) => new Independent({ distribution: normal(loc, scale), reinterpretedBatchNdims: 1 });

describe('analyticKL', () => {
  it('evaluates the nearest pair of the registry it is given, broadcast to the batch shape', () => {
    const registry = createKLRegistry([{ p: Normal, q: Normal, kl: klNormalNormal }]);
    const kl = analyticKL(normal([0, 1], 1), new Normal({ loc: 0, scale: 2 }), registry);
    expect(kl.shape).toEqual([2]);
    // KL(N(m, 1) || N(0, 2)) = log 2 + (1 + m^2) / 8 - 1/2.
    expectClose(kl, [Math.log(2) + 1 / 8 - 0.5, Math.log(2) + 2 / 8 - 0.5], { rtol: 1e-6 });
  });

  it('names the missing pair and what is registered when the registry has none', () => {
    const registry = createKLRegistry([{ p: Normal, q: Normal, kl: klNormalNormal }]);
    expect(() => analyticKL(independent([0], 1), independent([0], 1), registry)).toThrow(
      /No analytic KL\(Independent \|\| Independent\) is registered\. Pairs registered for Independent or Independent: none/,
    );
  });

  it('lets the Independent pair dispatch its base pair through the caller’s registry, not the default one', () => {
    // A user pair that is not KL at all: only the registry passed in can supply it.
    const registry = createKLRegistry([
      { p: Independent, q: Independent, kl: klIndependentIndependent },
      { p: Normal, q: Normal, kl: (p: Normal, q: Normal) => tf.add(tf.sub(p.mean(), q.mean()), 10) },
    ]);
    const kl = analyticKL(independent([1, 2, 3], 1), independent([0, 0, 0], 1), registry);
    expect(kl.shape).toEqual([]);
    expectClose(kl, 36, { rtol: 1e-6 });
  });

  it('is memory-neutral', async () => {
    const registry = createKLRegistry([
      { p: Independent, q: Independent, kl: klIndependentIndependent },
      { p: Normal, q: Normal, kl: klNormalNormal },
    ]);
    const p = independent([1, 2], 1);
    const q = independent([0, 0], 2);
    await expectMemoryNeutral(() => analyticKL(p, q, registry));
  });
});

// The one cycle this package had (kl-divergence -> pairs/index -> pairs/independent -> kl-divergence)
// worked only because a function declaration is hoisted. Pairs get the registry from their caller.
describe('module graph of @vae/kl', () => {
  const src = __dirname;
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
    );
  const graph = new Map(
    sources(src).map((file) => [
      file,
      [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)]
        .filter((m) => !/^(?:import|export)\s+type\s/.test(m[0]))
        .map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts'))),
    ]),
  );

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(src, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps the pairs below the dispatcher: no pair imports kl-divergence.ts or index.ts', () => {
    const upward = [...graph]
      .filter(([file]) => relative(src, file).startsWith('pairs/'))
      .flatMap(([file, deps]) =>
        deps
          .filter((d) => /(?:^|\/)(kl-divergence|index)\.ts$/.test(relative(src, d)) && !d.endsWith('pairs/index.ts'))
          .map((d) => `${relative(src, file)} -> ${relative(src, d)}`),
      );
    expect(upward).toEqual([]);
  });
});

describe('klIndependentIndependent', () => {
  it('needs the registry it was dispatched from (called straight from a lookup, it says so)', () => {
    const registry = createKLRegistry([{ p: Independent, q: Independent, kl: klIndependentIndependent }]);
    const kl = registry.lookup(Independent, Independent)!;
    expect(() => kl(independent([0], 1), independent([0], 1))).toThrow(/registry.*the registry the pair was dispatched from/);
  });
});
