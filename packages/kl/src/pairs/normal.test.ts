import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@vae/distributions';
import { compareClose, expectClose, expectMemoryNeutral, expectWithinStandardErrors, gradient64, summarize } from '@vae/testing';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence, monteCarloKL } from '../index.js';

describePair('Normal||Normal', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Normal||Laplace', { rtol: 1e-5 });

const f32 = Math.fround;
// float64 closed form, evaluated at the float32-rounded parameters the tensors hold.
function klNormal64(mp: number, sp: number, mq: number, sq: number): number {
  [mp, sp, mq, sq] = [f32(mp), f32(sp), f32(mq), f32(sq)];
  const logR = 2 * Math.log1p((sp - sq) / sq);
  return 0.5 * (Math.expm1(logR) - logR + ((mp - mq) / sq) ** 2);
}

describe('KL(Normal || Normal)', () => {
  const cases: [number, number, number, number][] = [
    [0, 1, 0, 1],
    [0, 1, 1, 2],
    [3, 0.5, -1, 4],
    [0, 1e-6, 0, 1], // tiny posterior scale
    [0, 1e6, 0, 1], // huge
    [1e3, 1, -1e3, 1e-3],
    // nearly equal: the divergence is tiny and must keep its relative accuracy
    [0, 1, 0, 1.001],
    [0, 1, 1e-3, 1],
    [0, 1, 0, 1.0000001],
  ];
  it('matches the float64 closed form, including tiny divergences', () => {
    const d = (i: number) => tf.tensor(cases.map((c) => c[i]));
    const kl = klDivergence(new Normal({ loc: d(0), scale: d(1) }), new Normal({ loc: d(2), scale: d(3) }));
    const truth = cases.map((c) => klNormal64(...c));
    const report = compareClose(kl, truth, { rtol: 1e-5, atol: 0 });
    console.log(`[KL Normal||Normal] worst rel err vs float64 closed form: ${report.maxRelativeError.toExponential(2)}`);
    expectClose(kl, truth, { rtol: 1e-5, atol: 0 });
  });

  it('is accurate across the scale ratios where its series and direct branches meet', () => {
    // s_p / s_q from 0.2 to 3, densely around 0.5 and 1.5 (where the branches switch), same means.
    const ratios = [
      0.2, 0.45, 0.49, 0.4999, 0.5, 0.5001, 0.51, 0.6, 0.8, 0.95, 0.999, 1.001, 1.05, 1.2, 1.4, 1.49, 1.4999, 1.5, 1.5001, 1.51, 2, 3,
    ];
    const scaleQ = 1.7;
    const kl = klDivergence(new Normal({ loc: 0, scale: ratios.map((r) => r * scaleQ) }), new Normal({ loc: 0, scale: scaleQ }));
    const truth = ratios.map((r) => klNormal64(0, r * scaleQ, 0, scaleQ));
    expectClose(kl, truth, { rtol: 1e-6, atol: 0 });
  });

  it('agrees with seeded Monte Carlo estimates (both estimators)', () => {
    const p = new Normal({ loc: [0, 1], scale: [1, 0.5] });
    const q = new Normal({ loc: [0.5, -1], scale: [2, 1.5] });
    const exact = klDivergence(p, q).dataSync();
    const n = 20000;
    const z = p.sample([n], 11);
    const terms = tf.sub(p.logProb(z), q.logProb(z));
    for (let j = 0; j < 2; j++) {
      const s = summarize(tf.unstack(terms, 1)[j].dataSync());
      expectWithinStandardErrors(s.mean, exact[j], s.standardError, { label: `plain MC [${j}]` });
    }
    // k3 has a finite variance only when E_p[(q/p)^2] is finite (for normals: s_q^2 < 2 s_p^2), so
    // its check uses such a q; the same draws (same seed) give its own standard error.
    const qNear = new Normal({ loc: [0.5, 0.7], scale: [1.2, 0.6] });
    const exactNear = klDivergence(p, qNear).dataSync();
    const lowVar = monteCarloKL(p, qNear, { numSamples: n, seed: 12, estimator: 'lowVariance' }).dataSync();
    const z2 = p.rsample([n], 12);
    const logR = tf.sub(qNear.logProb(z2), p.logProb(z2));
    const k3 = tf.sub(tf.expm1(logR), logR);
    for (let j = 0; j < 2; j++) {
      const s = summarize(tf.unstack(k3, 1)[j].dataSync());
      expect(lowVar[j]).toBeCloseTo(s.mean, 4);
      expectWithinStandardErrors(lowVar[j], exactNear[j], s.standardError, { label: `low-variance MC [${j}]` });
    }
  });

  it('gradients in both arguments match float64 finite differences', () => {
    const x = [0.3, 0.8, -0.5, 1.7];
    const g = tf.grads((mp: tf.Tensor, sp: tf.Tensor, mq: tf.Tensor, sq: tf.Tensor) =>
      klDivergence(new Normal({ loc: mp, scale: sp }), new Normal({ loc: mq, scale: sq })),
    )(x.map((v) => tf.scalar(v)));
    const fd = gradient64((v) => klNormal64(v[0], v[1], v[2], v[3]), x);
    expectClose(
      g.map((t) => t.dataSync()[0]),
      fd,
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  it('broadcasts batch shapes and is memory-neutral', async () => {
    const p = new Normal({ loc: [[0], [1]], scale: 1 });
    const q = new Normal({ loc: [0, 1, 2], scale: 2 });
    expect(klDivergence(p, q).shape).toEqual([2, 3]);
    await expectMemoryNeutral(() => klDivergence(p, q), 'klDivergence');
    await expectMemoryNeutral(() => monteCarloKL(p, q, { numSamples: 10, seed: 1 }), 'monteCarloKL');
  });
});
