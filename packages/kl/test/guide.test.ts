// The worked example of docs/guides/using-kl.md, copied verbatim (keep the two in sync), plus the
// checks that make it a test.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Distribution, Laplace, Logistic, MixtureSameFamily, Normal, constraints } from '@vae/distributions';
import type { TensorInput } from '@vae/math';
import { expectClose, expectWithinStandardErrors, summarize } from '@vae/testing';
import {
  builtinKLEntries,
  createKLRegistry,
  defaultKLRegistry,
  klDivergence,
  klVariationalApproximation,
  monteCarloKL,
} from '../src/index.js';

// ---- copied from the guide (indented into a function: tensors need the backend, set up in beforeAll)
function runGuideExample() {
  class HalfNormal extends Distribution {
    readonly scale: tf.Tensor;
    readonly reparameterized = true;
    readonly support = constraints.nonNegative;

    constructor(params: { scale: TensorInput; validateArgs?: boolean }) {
      const { scale, ...options } = params;
      super([], [], options);
      // The base class converts, owns, validates (once, when asked) and sets batchShape.
      ({ scale: this.scale } = this.parameters({ scale }, { scale: { constraint: constraints.positive } }));
    }

    protected _sampleN(n: number, seed?: number): tf.Tensor {
      return tf.mul(tf.abs(tf.randomNormal([n, ...this.batchShape], 0, 1, 'float32', seed)), this.scale);
    }

    protected _logProb(x: tf.Tensor): tf.Tensor {
      const z = tf.div(x, this.scale);
      return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(this.scale), 0.5 * Math.log(Math.PI / 2)));
    }
  }

  function klHalfNormalHalfNormal(p: HalfNormal, q: HalfNormal): tf.Tensor {
    return tf.tidy(() => {
      const ratio = tf.div(p.scale, q.scale);
      return tf.sub(tf.mul(0.5, tf.square(ratio)), tf.add(tf.log(ratio), 0.5));
    });
  }

  // Either a registry of your own, built from plain data ...
  const registry = createKLRegistry([...builtinKLEntries, { p: HalfNormal, q: HalfNormal, kl: klHalfNormalHalfNormal }]);
  const p = new HalfNormal({ scale: [0.5, 1, 2] });
  const q = new HalfNormal({ scale: 1 });
  const exact = klDivergence(p, q, { registry }); // [0.318, 0, 0.807]

  // ... or the default registry, for every klDivergence call in the app.
  defaultKLRegistry.register(HalfNormal, HalfNormal, klHalfNormalHalfNormal);
  const same = klDivergence(p, q);

  // A check worth keeping in your tests: the closed form against a seeded Monte Carlo estimate.
  const estimate = monteCarloKL(p, q, { numSamples: 20000, seed: 1 });
  return { HalfNormal, registry, p, q, exact, same, estimate };
}
// ---- end of the copy ---------------------------------------------------------------------------

describe('the guide (docs/guides/using-kl.md)', () => {
  it('contains the worked example exactly as tested here', () => {
    const guide = readFileSync(join(__dirname, '../../../docs/guides/using-kl.md'), 'utf8');
    const here = readFileSync(__filename, 'utf8');
    const trimLines = (text: string) =>
      text
        .split('\n')
        .map((l) => l.trim())
        .join('\n');
    const copied = here.slice(here.indexOf('class HalfNormal'), here.indexOf('  return { HalfNormal, registry')).trim();
    expect(trimLines(guide)).toContain(trimLines(copied));
  });

  let example: ReturnType<typeof runGuideExample>;
  beforeAll(() => {
    example = runGuideExample();
  });

  it('the custom pair gives the closed form, in both registries, and agrees with Monte Carlo', () => {
    const { p, q, exact, same, estimate } = example;
    const truth = [0.5, 1, 2].map((s) => Math.log(1 / s) + (s * s) / 2 - 0.5);
    expectClose(exact, truth, { rtol: 1e-6, atol: 1e-7 });
    expectClose(same, truth, { rtol: 1e-6, atol: 1e-7 });
    const z = p.sample([20000], 1);
    const terms = tf.sub(p.logProb(z), q.logProb(z));
    tf.unstack(terms, 1).forEach((column, j) => {
      const s = summarize(column.dataSync());
      expectWithinStandardErrors(s.mean, truth[j], s.standardError, { atol: 1e-6, label: `HalfNormal MC [${j}]` });
    });
    expectClose(estimate, tf.mean(terms, 0), { rtol: 1e-4, atol: 1e-6 });
  });

  it('subclasses dispatch to the custom pair, and the built-in pairs are unaffected', () => {
    const { HalfNormal, registry, q } = example;
    class FoldedHalfNormal extends HalfNormal {}
    expectClose(klDivergence(new FoldedHalfNormal({ scale: 0.5 }), q, { registry }), Math.log(2) + 0.125 - 0.5, { rtol: 1e-6 });
    expect(registry.has(Normal, Normal)).toBe(true);
  });

  it('the fallback and mixture snippets run', () => {
    const estimateLogistic = klDivergence(new Logistic({ loc: 0, scale: 1 }), new Laplace({ loc: 0, scale: 1 }), {
      fallback: 'monteCarlo',
      numSamples: 4096,
      seed: 7,
    });
    expect(Number.isFinite(estimateLogistic.dataSync()[0])).toBe(true);
    const mixture = new MixtureSameFamily({ mixtureLogits: [0, 0], components: new Normal({ loc: [-1, 1], scale: 0.5 }) });
    expect(Number.isFinite(klVariationalApproximation(mixture, new Normal({ loc: 0, scale: 1.5 })).dataSync()[0])).toBe(true);
  });
});
