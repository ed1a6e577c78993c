import * as tf from '@tensorflow/tfjs-core';
import nbinom from '@stdlib/stats-base-dists-negative-binomial';
import poisson from '@stdlib/stats-base-dists-poisson';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import {
  categorical256Likelihood,
  negativeBinomialLikelihood,
  poissonLikelihood,
  zeroInflatedNegativeBinomialLikelihood,
} from './index.js';

const f32 = Math.fround;
// Two cells (batch) by three genes; log means from -4 to 6, counts from 0 to 500.
const logMean = [
  [-4, 0.5, 6],
  [2, -1, 3],
].map((r) => r.map(f32));
const counts = [
  [0, 2, 500],
  [9, 0, 17],
];

describe('count likelihoods against @stdlib, summed over genes', () => {
  it('poissonLikelihood', () => {
    const p = poissonLikelihood(tf.tensor(logMean));
    expect(p.batchShape).toEqual([2]);
    const truth = counts.map((row, b) => row.reduce((a, x, g) => a + poisson.logpmf(x, Math.exp(logMean[b][g])), 0));
    expectClose(p.logProb(tf.tensor(counts)), truth, { rtol: 2e-6 });
  });

  it('negativeBinomialLikelihood with dispersion per gene and per cell (mean mu, variance mu + mu^2 / theta)', () => {
    const perGene = [0.5, 2, 10].map((t) => f32(Math.log(t)));
    const perCell = [[f32(Math.log(0.3))], [f32(Math.log(30))]];
    for (const logTheta of [perGene, perCell]) {
      const theta = (b: number, g: number) => Math.exp(logTheta === perGene ? perGene[g] : perCell[b][0]);
      // @stdlib: failures before r successes of probability q; scVI: r = theta, q = theta / (theta + mu).
      const truth = counts.map((row, b) =>
        row.reduce((a, x, g) => {
          const [mu, t] = [Math.exp(logMean[b][g]), theta(b, g)];
          return a + nbinom.logpmf(x, t, t / (t + mu));
        }, 0),
      );
      const p = negativeBinomialLikelihood({ logMean: tf.tensor(logMean), logInverseDispersion: tf.tensor(logTheta) });
      expectClose(p.logProb(tf.tensor(counts)), truth, { rtol: 1e-5 });
    }
  });

  it('zeroInflatedNegativeBinomialLikelihood mixes a point mass at 0, gate logits -80..80', () => {
    const gate = [
      [-80, 0, 3],
      [80, -2, 0.5],
    ];
    const logTheta = f32(Math.log(1.5));
    const t = Math.exp(logTheta);
    const truth = counts.map((row, b) =>
      row.reduce((a, x, g) => {
        const mu = Math.exp(logMean[b][g]);
        const pi = 1 / (1 + Math.exp(-gate[b][g]));
        const logKeep = gate[b][g] > 30 ? -gate[b][g] : -Math.log1p(Math.exp(gate[b][g]));
        const nb = nbinom.logpmf(x, t, t / (t + mu));
        return a + (x === 0 ? Math.log(pi + Math.exp(logKeep + nb)) : logKeep + nb);
      }, 0),
    );
    const p = zeroInflatedNegativeBinomialLikelihood({
      logMean: tf.tensor(logMean),
      logInverseDispersion: logTheta,
      gateLogits: tf.tensor(gate),
    });
    expectClose(p.logProb(tf.tensor(counts)), truth, { rtol: 1e-5 });
  });

  it('gradients in logMean, logInverseDispersion and gateLogits are finite and match finite differences', () => {
    const x = tf.tensor(counts);
    const f = (m: tf.Tensor, th: tf.Tensor, g: tf.Tensor) =>
      tf.sum(zeroInflatedNegativeBinomialLikelihood({ logMean: m, logInverseDispersion: th, gateLogits: g }).logProb(x));
    const args = [
      tf.tensor(logMean),
      tf.tensor([0.2, -0.4, 1]),
      tf.tensor([
        [-1, 0, 1],
        [2, -3, 0.5],
      ]),
    ];
    const grads = tf.grads(f)(args);
    const h = 1e-2;
    // Central differences of the float32 function along each whole argument (a directional derivative).
    grads.forEach((g, i) => {
      const up = args.map((a, j) => (j === i ? tf.add(a, h) : a));
      const down = args.map((a, j) => (j === i ? tf.sub(a, h) : a));
      const fd = (f(up[0], up[1], up[2]).dataSync()[0] - f(down[0], down[1], down[2]).dataSync()[0]) / (2 * h);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      expectClose(tf.sum(g), fd, { rtol: 2e-3, atol: 1e-3 });
    });
  });

  it('bad arguments are named; every likelihood is memory-neutral inside tidy', async () => {
    expect(() => poissonLikelihood(tf.zeros([2, 3]), { eventNdims: 3 })).toThrow(
      /poissonLikelihood: eventNdims must be an integer in \[0, 2\]/,
    );
    expect(() => negativeBinomialLikelihood({ logMean: [NaN], logInverseDispersion: 0 }).logProb([1])).toThrow(
      /logits must be a real number/,
    );
    await expectMemoryNeutral(() =>
      tf.tidy(() =>
        zeroInflatedNegativeBinomialLikelihood({ logMean: tf.tensor(logMean), logInverseDispersion: 0, gateLogits: 0 }).logProb(
          tf.tensor(counts),
        ),
      ),
    );
  });
});

describe('categorical256Likelihood', () => {
  it('is the log-softmax at each 8-bit value, summed over pixels, exact for large logits', () => {
    const logits = tf.tidy(() => tf.mul(tf.randomNormal([2, 3, 256], 0, 30, 'float32', 4), 1));
    const x = [
      [0, 128, 255],
      [7, 255, 0],
    ];
    const l = logits.arraySync() as number[][][];
    const truth = x.map((row, b) =>
      row.reduce((a, v, i) => {
        const m = Math.max(...l[b][i]);
        const lse = m + Math.log(l[b][i].reduce((s, w) => s + Math.exp(w - m), 0));
        return a + l[b][i][v] - lse;
      }, 0),
    );
    const p = categorical256Likelihood(logits);
    expect(p.batchShape).toEqual([2]);
    expect(p.eventShape).toEqual([3]);
    expectClose(p.logProb(tf.tensor(x)), truth, { rtol: 1e-5 });
    expect(() => categorical256Likelihood(tf.zeros([2, 255]))).toThrow(/categorical256Likelihood: logits must be shaped \[\.\.\., 256\]/);
    expect(() =>
      p.logProb(
        tf.tensor([
          [0, 256, 1],
          [0, 0, 0],
        ]),
      ),
    ).toThrow(/value must be/);
  });
});
