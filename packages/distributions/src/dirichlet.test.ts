import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import betaDist from '@stdlib/stats-base-dists-beta';
import gammaln from '@stdlib/math-base-special-gammaln';
import { derivative64, expectClose } from '@vae/testing';
import { OFF_SIMPLEX, SIMPLEX_VALUES, errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { Dirichlet } from './index.js';
import type { DirichletParams } from './index.js';

// Reference values from test/fixtures/generate_dirichlet.py (mpmath, entropy cross-checked with scipy).
type Num = number | 'Infinity' | '-Infinity';
interface Case {
  concentration: number[];
  x: number[];
  extreme: boolean;
  logProb: Num;
}
interface Moments {
  concentration: number[];
  extreme: boolean;
  entropy: Num;
  mean: Num[];
  variance: Num[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/dirichlet.json'), 'utf8')) as {
  cases: Case[];
  moments: Moments[];
};
const num = (v: Num): number => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

const report = errorReport('Dirichlet', 'mpmath fixtures');

describe('Dirichlet against mpmath', () => {
  it('logProb inside the simplex and on its faces, concentrations 1e-3 to 1e4', () => {
    for (const c of fixture.cases) {
      const d = new Dirichlet({ concentration: c.concentration });
      // Concentrations of 1e3..1e4 cancel lgamma terms of size ~1e5 in float32.
      report.check('logProb', d.logProb(c.x), [num(c.logProb)], [c.extreme], { ordinary: 2e-6, extreme: 2e-3 });
      d.dispose();
    }
  });

  it('entropy, mean, variance and stddev', () => {
    for (const m of fixture.moments) {
      const d = new Dirichlet({ concentration: m.concentration });
      const k = m.concentration.length;
      const ext = new Array<boolean>(k).fill(m.extreme);
      report.check('entropy', d.entropy(), [num(m.entropy)], [m.extreme], { ordinary: 2e-6, extreme: 2e-6 });
      report.check('mean', d.mean(), m.mean.map(num), ext, { ordinary: 1e-6, extreme: 1e-6 });
      report.check('variance', d.variance(), m.variance.map(num), ext, { ordinary: 1e-6, extreme: 1e-5 });
      report.check(
        'stddev',
        d.stddev(),
        m.variance.map((v) => Math.sqrt(num(v))),
        ext,
        { ordinary: 1e-6, extreme: 1e-5 },
      );
      d.dispose();
    }
  });

  it('with K = 2 it is a Beta distribution of the first coordinate (stdlib)', () => {
    const [a, b] = [f32(2.5), f32(0.7)];
    const d = new Dirichlet({ concentration: [a, b] });
    const xs = [0.01, 0.3, 0.9].map(f32);
    expectClose(
      d.logProb(xs.map((x) => [x, 1 - x])),
      xs.map((x) => betaDist.logpdf(x, a, b)),
      { rtol: 2e-6, atol: 2e-6 },
    );
    expectClose(d.entropy(), betaDist.entropy(a, b), { rtol: 2e-6 });
    d.dispose();
  });

  it('mode where every concentration >= 1, an error or NaN otherwise', () => {
    const d = new Dirichlet({
      concentration: [
        [2, 3, 5],
        [1, 1, 2],
      ],
    });
    expectClose(
      d.mode(),
      [
        [1 / 7, 2 / 7, 4 / 7],
        [0, 0, 1],
      ],
      { rtol: 1e-6 },
    );
    expect(() =>
      new Dirichlet({
        concentration: [
          [2, 3],
          [0.5, 2],
        ],
      }).mode(),
    ).toThrow('Dirichlet: concentration must be all >= 1 and not all 1 for mode() to be defined; got [0.5, 2] at index [1]');
    const lax = new Dirichlet({
      concentration: [
        [2, 3],
        [1, 1],
      ],
      validateArgs: false,
    });
    const mode = Array.from(lax.mode().dataSync());
    expect(mode.slice(0, 2)).toEqual([f32(1 / 3), f32(2 / 3)]);
    expect(mode.slice(2).every(Number.isNaN)).toBe(true);
    d.dispose();
  });
});

describe('Dirichlet gradients', () => {
  const logProb64 = (alpha: number[], x: number[]) =>
    alpha.reduce((s, a, i) => s + (a - 1) * Math.log(x[i]) - gammaln(a), 0) + gammaln(alpha.reduce((s, a) => s + a, 0));

  it('logProb gradients in concentration and value match float64 finite differences', () => {
    const alpha = [0.7, 2.5, 4].map(f32);
    const x = [0.2, 0.3, 0.5].map(f32);
    const g = tf.grads((ta: tf.Tensor, tx: tf.Tensor) => new Dirichlet({ concentration: ta }).logProb(tx))([
      tf.tensor(alpha),
      tf.tensor(x),
    ]);
    const fd = (f: (v: number[]) => number, at: number[]) =>
      at.map((_, j) => derivative64((t) => f(at.map((w, i) => (i === j ? t : w))), at[j]));
    expectClose(
      g[0],
      fd((v) => logProb64(v, x), alpha),
      { rtol: 1e-4, atol: 1e-5 },
    );
    expectClose(
      g[1],
      fd((v) => logProb64(alpha, v), x),
      { rtol: 1e-4, atol: 1e-5 },
    );
  });

  it('rsample is differentiable: d E[x_i] / d alpha_j = ([i = j] alpha_0 - alpha_i) / alpha_0^2', () => {
    const alpha = [1.5, 2, 3];
    const total = 6.5;
    const g = tf.grad((ta: tf.Tensor) => tf.sum(tf.mul(tf.mean(new Dirichlet({ concentration: ta }).rsample([8000], 5), 0), [1, 0, 0])))(
      tf.tensor(alpha),
    );
    expectClose(
      g,
      alpha.map((_, j) => ((j === 0 ? total : 0) - alpha[0]) / total ** 2),
      { rtol: 0.1, atol: 5e-3 },
    );
  });
});

describeStandardChecks<DirichletParams>({
  family: Dirichlet,
  shapes: [
    [{ concentration: [1, 2, 3] }, [], [3], [], [3]],
    [
      {
        concentration: [
          [1, 2],
          [0.5, 0.5],
        ],
      },
      [2],
      [2],
      [3],
      [3, 2, 2],
    ],
    [
      {
        concentration: [
          [
            [1, 1],
            [2, 2],
            [3, 3],
          ],
          [
            [1, 2],
            [2, 1],
            [5, 5],
          ],
        ],
      },
      [2, 3],
      [2],
      [4, 5],
      [4, 5, 2, 3, 2],
    ],
  ],
  params: {
    concentration: [
      [2, 3, 5],
      [0.5, 1, 4],
    ],
  },
  monteCarlo: { samples: 8000 },
  value: SIMPLEX_VALUES,
  // The mode is defined only where every concentration is >= 1 (not all 1); these rows have smaller ones.
  skipMethods: ['mode'],
  badParams: [
    [{ concentration: [1, 0] }, 'Dirichlet: concentration must be positive (> 0) and finite; got 0 at index [1]'],
    [{ concentration: 2 }, /Dirichlet: concentration must be at least one-dimensional/],
  ],
  outside: OFF_SIMPLEX,
  supportMessage: /Dirichlet: value must be in the support: on the probability simplex/,
  finiteGradients: {
    build: (p) => new Dirichlet({ concentration: p }),
    param: [
      [1, 2, 3],
      [0.5, 1, 4],
    ],
    values: [
      [0, 0.5, 0.5],
      [0.2, 0.8, 0],
    ],
  },
});
