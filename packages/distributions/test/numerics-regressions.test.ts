// The corner cases of issue 15 in the distributions and their samplers: draws that rounded to the
// edge of the support (so logProb of a distribution's own sample was infinite or threw), moments
// that came out NaN where the exact value underflows, and a near-deterministic entropy.
import * as tf from '@tensorflow/tfjs-core';
import {
  Categorical,
  Dirichlet,
  Gamma,
  Kumaraswamy,
  LogNormal,
  OneHotCategorical,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
} from '@vae/distributions';
import { expectClose } from '@vae/testing';

function allFinite(t: tf.Tensor): boolean {
  return Array.from(t.dataSync()).every(Number.isFinite);
}

describe('samples stay inside the open support in float32', () => {
  it('Gamma with concentration 1e-3: no exact 0, finite logProb and finite gradients', () => {
    const a = tf.scalar(1e-3);
    const x = new Gamma({ concentration: a, rate: 1 }).rsample([200], 1);
    expect(tf.min(x).dataSync()[0]).toBeGreaterThanOrEqual(2 ** -126);
    const lp = new Gamma({ concentration: a, rate: 1 }).logProb(x);
    expect(allFinite(lp)).toBe(true);
    const g = tf.grad((c: tf.Tensor) => {
      const d = new Gamma({ concentration: c, rate: 1 });
      return tf.sum(d.logProb(d.rsample([200], 1)));
    })(a);
    expect(allFinite(g)).toBe(true);
  });

  it('Dirichlet [1e-3, 1e-3, 1]: every coordinate positive, finite logProb and gradients', () => {
    const alpha = tf.tensor([1e-3, 1e-3, 1]);
    const x = new Dirichlet({ concentration: alpha }).rsample([200], 2);
    expect(tf.min(x).dataSync()[0]).toBeGreaterThanOrEqual(2 ** -126);
    expect(allFinite(new Dirichlet({ concentration: alpha }).logProb(x))).toBe(true);
    const g = tf.grad((c: tf.Tensor) => {
      const d = new Dirichlet({ concentration: c });
      return tf.sum(d.logProb(d.rsample([200], 2)));
    })(alpha);
    expect(allFinite(g)).toBe(true);
  });

  it('RelaxedBernoulli at temperature 0.042, logits 65: no exact 0 or 1, finite logProb', () => {
    const d = new RelaxedBernoulli({ temperature: 0.042, logits: [65, -65, 0] });
    const x = d.rsample([300], 3);
    const values = Array.from(x.dataSync());
    expect(values.every((v) => v > 0 && v < 1)).toBe(true);
    expect(allFinite(d.logProb(x))).toBe(true);
    const g = tf.grad((l: tf.Tensor) => {
      const r = new RelaxedBernoulli({ temperature: 0.042, logits: l });
      return tf.sum(r.logProb(r.rsample([300], 3)));
    })(tf.tensor([65, -65, 0]));
    expect(allFinite(g)).toBe(true);
  });

  it('RelaxedOneHotCategorical at a low temperature: no exact 0 coordinate, finite logProb', () => {
    const d = new RelaxedOneHotCategorical({ temperature: 0.05, logits: [60, -60, 0] });
    const x = d.rsample([300], 4);
    expect(tf.min(x).dataSync()[0]).toBeGreaterThan(0);
    expect(allFinite(d.logProb(x))).toBe(true);
  });

  it('LogNormal with scale 100: samples finite and positive, logProb finite and no support error', () => {
    const d = new LogNormal({ loc: 0, scale: 100 });
    const x = d.sample([500], 5);
    const values = Array.from(x.dataSync());
    expect(values.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(values.some((v) => v === 3.4028234663852886e38)).toBe(true); // exp overflowed and was kept at the top
    expect(allFinite(d.logProb(x))).toBe(true);
  });
});

describe('moments and entropies where the exact value is tiny', () => {
  it('Kumaraswamy (0.01, 250) variance: the exact value underflows to 0, not NaN; gradients finite', () => {
    const v = tf.tidy(() => new Kumaraswamy({ concentration1: 0.01, concentration0: 250 }).variance());
    expect(v.dataSync()[0]).toBe(0);
    // Where it does not underflow, the log-space form agrees with float64 m2 - m1^2.
    const [a, b] = [0.5, 3];
    const logBeta64 = (x: number, y: number) => lgamma64(x) + lgamma64(y) - lgamma64(x + y);
    const m = (n: number) => Math.exp(Math.log(b) + logBeta64(1 + n / a, b));
    expectClose(new Kumaraswamy({ concentration1: a, concentration0: b }).variance(), [m(2) - m(1) ** 2], { rtol: 2e-5 });
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => new Kumaraswamy({ concentration1: x, concentration0: y }).variance())([
      tf.scalar(0.01),
      tf.scalar(250),
    ]);
    for (const t of g) expect(allFinite(t)).toBe(true);
  });

  it('Categorical entropy of a nearly deterministic distribution keeps its relative accuracy', () => {
    // logits [100, 90, 88, -100]: float64 entropy from the exact probabilities.
    const logits = [100, 90, 88, -100];
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const sum = e.reduce((x, y) => x + y, 0);
    const exact = -e.map((v) => (v / sum) * Math.log(v / sum)).reduce((x, y) => x + y, 0);
    expectClose(new Categorical({ logits }).entropy(), [exact], { rtol: 1e-4 });
    expectClose(new OneHotCategorical({ logits }).entropy(), [exact], { rtol: 1e-4 });
    const g = tf.grad((l: tf.Tensor) => new Categorical({ logits: l }).entropy())(tf.tensor(logits));
    expect(allFinite(g)).toBe(true);
  });
});

// Lanczos (g = 7, n = 9) in float64, for the float64 reference moments above.
function lgamma64(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma64(1 - x);
  const y = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}
