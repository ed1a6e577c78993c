import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import normalDist from '@stdlib/stats-base-dists-normal';
import { compareClose, expectClose, expectFinite, expectWithinStandardErrors, gradient64, runOnBackends, summarize } from '@vae/testing';
import { MultivariateNormal, cholesky, triangularSolve } from './index.js';
import type { MultivariateNormalParams } from './index.js';
import { expectMethodsMemoryNeutral } from '../test/scalar-family-helpers.js';

interface MvnCase {
  d: number;
  batch: number[];
  loc: number[] | number[][];
  scaleTril: number[][] | number[][][];
  x: number[][] | number[][][];
  logProb: number[] | number[][];
  entropy: number | number[];
  covariance: number[][] | number[][][];
  variance: number[] | number[][];
  extreme: boolean;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/multivariate_normal.json'), 'utf8')) as {
  cases: MvnCase[];
  cholesky: { covariance: number[][][]; scaleTril: number[][][] };
};

const f32 = Math.fround;
// The 2 x 2 scale most checks build from: correlated, covariance [[1, 0.5], [0.5, 1.25]].
const CORRELATED_TRIL = [
  [1, 0],
  [0.5, 1],
];
const worst = { ordinary: 0, extreme: 0 };
const record = (regime: 'ordinary' | 'extreme', actual: tf.Tensor, expected: number[] | number, atol: number) => {
  const r = compareClose(actual, expected, { atol, rtol: 0 });
  worst[regime] = Math.max(worst[regime], r.maxRelativeError);
};
afterAll(() => {
  console.log(
    `[MultivariateNormal] logProb/entropy/covariance worst rel err: ordinary ${worst.ordinary.toExponential(
      1,
    )}, extreme ${worst.extreme.toExponential(1)}`,
  );
});

/** Float64 log density by forward substitution: the finite-difference oracle. */
function logPdf64(loc: number[], tril: number[][], x: number[]): number {
  const d = loc.length;
  const z: number[] = [];
  let logDet = 0;
  for (let i = 0; i < d; i++) {
    let r = x[i] - loc[i];
    for (let j = 0; j < i; j++) r -= tril[i][j] * z[j];
    z.push(r / tril[i][i]);
    logDet += Math.log(tril[i][i]);
  }
  return -0.5 * z.reduce((s, v) => s + v * v, 0) - logDet - 0.5 * d * Math.log(2 * Math.PI);
}

describe('MultivariateNormal against oracles', () => {
  it('diagonal scaleTril matches a product of @stdlib normal densities, over extreme scales', () => {
    const scales = [
      [1, 2, 0.5],
      [1e-3, 1e3, 1],
    ];
    const locs = [
      [0.5, -1, 2],
      [100, -3, 0],
    ];
    const xs = [
      [0.1, 0.2, 0.3],
      [100.002, 1500, -4],
    ];
    const d = new MultivariateNormal({ loc: locs, scaleTril: scales.map((s) => s.map((v, i) => s.map((_, j) => (i === j ? v : 0)))) });
    const lp = d.logProb(xs);
    const oracle = xs.map((x, b) => x.reduce((sum, v, i) => sum + normalDist.logpdf(f32(v), f32(locs[b][i]), f32(scales[b][i])), 0));
    expectClose(lp, oracle, { rtol: 1e-5, atol: 1e-4, label: 'logProb' });
    const ent = scales.map((s) => s.reduce((sum, v) => sum + normalDist.entropy(0, f32(v)), 0));
    expectClose(d.entropy(), ent, { rtol: 1e-5, atol: 1e-5, label: 'entropy' });
    expectClose(
      d.variance(),
      scales.map((s) => s.map((v) => f32(v) ** 2)),
      { rtol: 1e-6 },
    );
    expectClose(d.stddev(), scales, { rtol: 1e-6 });
    record('ordinary', tf.slice(lp, [0], [1]), [oracle[0]], 1e-6);
    record('extreme', tf.slice(lp, [1], [1]), [oracle[1]], 1e-6);
    d.dispose();
  });

  it.each(fixture.cases.map((c) => [`d=${c.d} batch=[${c.batch}]${c.extreme ? ' ill-conditioned' : ''}`, c] as const))(
    'full scaleTril matches torch (%s)',
    (_name, c) => {
      const d = new MultivariateNormal({ loc: c.loc, scaleTril: c.scaleTril });
      expect(d.batchShape).toEqual(c.batch);
      expect(d.eventShape).toEqual([c.d]);
      const regime = c.extreme ? 'extreme' : 'ordinary';
      const lp = d.logProb(c.x);
      // The Mahalanobis term of a far point is ~ 32 d; its float32 error scales with it.
      expectClose(lp, c.logProb as number[], { rtol: c.extreme ? 2e-4 : 2e-5, atol: 1e-3, label: 'logProb' });
      expectClose(d.entropy(), c.entropy as number, { rtol: 1e-5, atol: 1e-4, label: 'entropy' });
      expectClose(d.covariance(), c.covariance as number[][], { rtol: 1e-5, atol: 1e-5, label: 'covariance' });
      expectClose(d.variance(), c.variance as number[], { rtol: 1e-5, atol: 1e-6, label: 'variance' });
      expectClose(d.mean(), tf.broadcastTo(tf.tensor(c.loc as number[]), [...c.batch, c.d]), { label: 'mean' });
      expectClose(d.mode(), tf.broadcastTo(tf.tensor(c.loc as number[]), [...c.batch, c.d]), { label: 'mode' });
      record(regime, lp, (c.logProb as number[]).flat(), 1e-3);
      record(regime, d.entropy(), [c.entropy as number].flat(), 1e-3);
      d.dispose();
    },
  );

  it('cholesky matches torch and covarianceMatrix gives the same distribution as its factor', () => {
    const { covariance, scaleTril } = fixture.cholesky;
    const L = cholesky(covariance);
    expectClose(L, scaleTril, { rtol: 1e-4, atol: 1e-5, label: 'cholesky' });
    const loc = [0.3, -0.2, 1, 0, 2];
    const a = new MultivariateNormal({ loc, covarianceMatrix: covariance });
    const b = new MultivariateNormal({ loc, scaleTril });
    const x = [
      [1, 2, 3, 4, 5],
      [0, 0, 0, 0, 0],
    ];
    expectClose(a.logProb(x), b.logProb(x), { rtol: 1e-4, atol: 1e-4 });
    expectClose(a.covariance(), covariance, { rtol: 1e-4, atol: 1e-4 });
  });

  it('triangularSolve solves L x = b for batches, broadcasting L against b', () => {
    const L = tf.tensor([
      [
        [2, 0, 0],
        [1, 3, 0],
        [-1, 0.5, 4],
      ],
      [
        [1, 0, 0],
        [0, 1, 0],
        [5, 5, 1],
      ],
    ]);
    const b = tf.tensor([[[1, 2, 3]], [[-1, 0, 2]]]); // [2, 1, 3] broadcasts against L's batch [2]
    const x = triangularSolve(L, b);
    expect(x.shape).toEqual([2, 2, 3]);
    const back = tf.squeeze(tf.matMul(L, tf.expandDims(x, -1)), [-1]);
    expectClose(back, tf.broadcastTo(b, [2, 2, 3]), { atol: 1e-5 });
    expect(() => triangularSolve(L, [1, 2])).toThrow(/triangularSolve: rhs must be shaped \[\.\.\., 3\]/);
  });
});

describe('MultivariateNormal shapes', () => {
  const eye = (d: number) => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  it.each([
    ['one vector', [0, 0], eye(2), [], [3], [3, 2]],
    [
      'batched loc, shared scale',
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      eye(2),
      [3],
      [4],
      [4, 3, 2],
    ],
    ['shared loc, batched scale', [0, 0, 0], [eye(3), eye(3)], [2], [], [2, 3]],
    ['broadcast [2,1] x [3]', [[[0, 0]], [[1, 1]]], [eye(2), eye(2), eye(2)], [2, 3], [5, 1], [5, 1, 2, 3, 2]],
  ])('%s', (_name, loc, scaleTril, batchShape, sampleShape, out) => {
    const d = new MultivariateNormal({ loc: loc as number[], scaleTril: scaleTril as number[][] });
    expect(d.batchShape).toEqual(batchShape);
    const s = d.sample(sampleShape as number[], 1);
    expect(s.shape).toEqual(out);
    expect(d.logProb(s).shape).toEqual(out.slice(0, -1));
    expect(d.entropy().shape).toEqual(batchShape);
    expect(d.mean().shape).toEqual([...(batchShape as number[]), out[out.length - 1]]);
    expect(d.covariance().shape).toEqual([...(batchShape as number[]), out[out.length - 1], out[out.length - 1]]);
  });
});

describe('MultivariateNormal Monte Carlo', () => {
  it('sample mean, covariance and entropy match the closed forms', () => {
    const d = new MultivariateNormal({
      loc: [1, -2, 0.5],
      scaleTril: [
        [1, 0, 0],
        [0.8, 0.6, 0],
        [-0.5, 1.2, 2],
      ],
    });
    const n = 20000;
    const x = d.sample([n], 11);
    const cols = tf.unstack(x, 1).map((t) => Array.from(t.dataSync()));
    const mean = d.mean().arraySync() as number[];
    const cov = d.covariance().arraySync() as number[][];
    for (let i = 0; i < 3; i++) {
      const s = summarize(cols[i]);
      expectWithinStandardErrors(s.mean, mean[i], s.standardError, { label: `mean[${i}]` });
      for (let j = 0; j <= i; j++) {
        const prod = cols[i].map((v, k) => (v - mean[i]) * (cols[j][k] - mean[j]));
        const p = summarize(prod);
        expectWithinStandardErrors(p.mean, cov[i][j], p.standardError, { label: `cov[${i}][${j}]` });
      }
    }
    const e = summarize(tf.neg(d.logProb(x)).dataSync());
    expectWithinStandardErrors(e.mean, d.entropy().dataSync()[0], e.standardError, { label: 'entropy' });
  });

  it('is deterministic by seed', () => {
    const d = new MultivariateNormal({ loc: [0, 0], scaleTril: CORRELATED_TRIL });
    expectClose(d.sample([4], 3), d.sample([4], 3), { rtol: 0, atol: 0 });
    expect(Array.from(d.sample([4], 3).dataSync())).not.toEqual(Array.from(d.sample([4], 4).dataSync()));
  });
});

describe('MultivariateNormal gradients', () => {
  const loc = [0.3, -0.7, 1.1];
  const tril = [
    [1.2, 0, 0],
    [0.4, 0.9, 0],
    [-0.3, 0.5, 1.5],
  ];
  const x = [1, 0.2, -0.5];

  it('logProb gradients match float64 finite differences (loc and every lower entry of scaleTril)', () => {
    const [gLoc, gTril] = tf.grads((l: tf.Tensor, s: tf.Tensor) =>
      new MultivariateNormal({ loc: l, scaleTril: s, validateArgs: false }).logProb(x),
    )([tf.tensor(loc), tf.tensor(tril)]);
    expectClose(
      gLoc,
      gradient64((l) => logPdf64(l, tril, x), loc),
      { rtol: 1e-4, atol: 1e-5, label: 'd/dloc' },
    );
    const flat = tril.flat();
    const fd = gradient64((t) => logPdf64(loc, [t.slice(0, 3), t.slice(3, 6), t.slice(6, 9)], x), flat);
    const lower = (v: number[]) => v.map((g, k) => (Math.floor(k / 3) >= k % 3 ? g : 0));
    expectClose(lower(Array.from(gTril.dataSync())), lower(fd), { rtol: 1e-4, atol: 1e-5, label: 'd/dscaleTril' });
  });

  it('rsample is differentiable: E|z|^2 = |loc|^2 + tr(L L^T), so d/dloc = 2 loc, d/dL = 2 L', () => {
    const n = 20000;
    const [gLoc, gTril] = tf.grads((l: tf.Tensor, s: tf.Tensor) =>
      tf.div(tf.sum(tf.square(new MultivariateNormal({ loc: l, scaleTril: s, validateArgs: false }).rsample([n], 8))), n),
    )([tf.tensor(loc), tf.tensor(tril)]);
    expectClose(
      gLoc,
      loc.map((v) => 2 * v),
      { rtol: 0.05, atol: 0.03 },
    );
    expectClose(
      gTril,
      tril.map((r) => r.map((v) => 2 * v)),
      { rtol: 0.05, atol: 0.05 },
    );
  });

  it('tf.grad through logProb(rsample()) works (support mask off the tape): d/dloc = 0, d/dL = -diag(1/L_ii) exactly', () => {
    // log q(loc + L eps) = -|eps|^2 / 2 - sum log L_ii - (d/2) log(2 pi) for every eps.
    const [gLoc, gTril] = tf.grads((l: tf.Tensor, s: tf.Tensor) => {
      const q = new MultivariateNormal({ loc: l, scaleTril: s, validateArgs: false });
      return tf.mean(q.logProb(q.rsample([50], 4)));
    })([tf.tensor(loc), tf.tensor(tril)]);
    expectClose(gLoc, [0, 0, 0], { atol: 1e-5 });
    expectClose(
      gTril,
      tril.map((r, i) => r.map((_, j) => (i === j ? -1 / tril[i][i] : 0))),
      { rtol: 1e-4, atol: 1e-4 },
    );
  });

  it('covarianceMatrix gradients flow through the Cholesky factor (finite differences in float64)', () => {
    const cov = [
      [2, 0.3],
      [0.3, 1],
    ];
    const g = tf.grad((c: tf.Tensor) =>
      new MultivariateNormal({ loc: [0, 0], covarianceMatrix: c, validateArgs: false }).logProb([0.5, -1]),
    )(tf.tensor(cov));
    // Oracle: the 2x2 density in closed form, perturbing the symmetric pair together.
    const logPdfCov = (a: number, b: number, c: number) => {
      const det = a * c - b * b;
      const [u, v] = [0.5, -1];
      return -0.5 * ((c * u * u - 2 * b * u * v + a * v * v) / det) - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
    };
    const gv = g.arraySync() as number[][];
    const fd = gradient64(([a, b, c]) => logPdfCov(a, b, c), [2, 0.3, 1]);
    // Only the lower triangle feeds the factor: its (1,0) entry carries the whole symmetric derivative.
    expectClose([gv[0][0], gv[1][0] + gv[0][1], gv[1][1]], fd, { rtol: 1e-3, atol: 1e-4 });
  });
});

describe('MultivariateNormal backend parity', () => {
  it('cpu and wasm agree on logProb, entropy, covariance, cholesky and triangularSolve', async () => {
    const c = fixture.cases[2];
    const results = await runOnBackends(() => {
      const d = new MultivariateNormal({ loc: c.loc, scaleTril: c.scaleTril });
      const quantities = [d.logProb(c.x), d.entropy(), d.covariance(), cholesky(d.covariance()), triangularSolve(c.scaleTril, c.x)];
      d.dispose();
      return quantities;
    });
    results.cpu.forEach((v, i) => expectClose(results.wasm[i], v, { rtol: 1e-5, atol: 1e-5, label: `quantity ${i}` }));
  });
});

describe('MultivariateNormal validation and memory', () => {
  it('names the distribution, argument and constraint', () => {
    // Each row is built with loc [0, 0] unless it gives its own.
    const bad: [Partial<MultivariateNormalParams>, string | RegExp][] = [
      [
        {
          scaleTril: [
            [1, 0.5],
            [0, 1],
          ],
        },
        'MultivariateNormal: scaleTril must be lower-triangular (zeros above the diagonal) with a positive finite diagonal; got [1, 0.5, 0, 1]',
      ],
      [
        {
          scaleTril: [
            [1, 0],
            [0, -1],
          ],
        },
        /scaleTril must be lower-triangular/,
      ],
      [
        {
          scaleTril: [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ],
        },
        /scaleTril must be shaped \[\.\.\., 2, 2\]/,
      ],
      [
        {
          covarianceMatrix: [
            [1, 2],
            [2, 1],
          ],
        },
        /covarianceMatrix must be symmetric positive-definite/,
      ],
      [
        {
          covarianceMatrix: [
            [1, 0.5],
            [0, 1],
          ],
        },
        /covarianceMatrix must be symmetric positive-definite/,
      ],
      [{}, /MultivariateNormal: scaleTril or covarianceMatrix must be given/],
      [{ loc: [NaN, 0], scaleTril: tf.eye(2) }, /loc must be a vector of finite real numbers/],
    ];
    for (const [params, message] of bad) expect(() => new MultivariateNormal({ loc: [0, 0], ...params })).toThrow(message);
    const d = new MultivariateNormal({ loc: [0, 0], scaleTril: tf.eye(2) });
    expect(() => d.logProb([Infinity, 0])).toThrow(/MultivariateNormal: value must be in the support/);
    expect(() => d.logProb([1, 2, 3])).toThrow(/value must be shaped/);
  });

  it('without validation, logProb outside the support is -Infinity, never NaN', () => {
    const d = new MultivariateNormal({ loc: [0, 0], scaleTril: CORRELATED_TRIL, validateArgs: false });
    const lp = d
      .logProb([
        [Infinity, 0],
        [0, NaN],
        [1, 1],
      ])
      .arraySync() as number[];
    expect(lp[0]).toBe(-Infinity);
    expect(lp[1]).toBe(-Infinity);
    expectFinite(lp[2]);
  });

  it('every public method is memory-neutral and leaves caller tensors alone', async () => {
    const loc = tf.tensor([0, 1]);
    const cov = tf.tensor([
      [2, 0.3],
      [0.3, 1],
    ]);
    const d = new MultivariateNormal({ loc, covarianceMatrix: cov });
    await expectMethodsMemoryNeutral(
      d,
      [0.1, 0.2],
      ['sample', 'rsample', 'logProb', 'prob', 'entropy', 'mean', 'variance', 'stddev', 'mode'],
      {
        covariance: () => d.covariance(),
        triangularSolve: () => triangularSolve(d.scaleTril, [1, 2]),
        cholesky: () => cholesky(cov),
        construct: () =>
          new MultivariateNormal({
            loc: [0, 0],
            covarianceMatrix: [
              [1, 0],
              [0, 1],
            ],
          }).dispose(),
        constructTril: () =>
          new MultivariateNormal({
            loc,
            scaleTril: CORRELATED_TRIL,
          }).dispose(),
        grad: () => tf.grad((l: tf.Tensor) => tf.sum(new MultivariateNormal({ loc: l, covarianceMatrix: cov }).logProb([0.5, 0])))(loc),
      },
    );
    d.dispose();
    expect(loc.isDisposed || cov.isDisposed).toBe(false);
  });
});
