import * as tf from '@tensorflow/tfjs-core';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import bernoulliDist from '@stdlib/stats-base-dists-bernoulli';
import { derivative64, expectClose, expectMemoryNeutral } from '@vae/testing';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { grid2x3, scalarEventShapes } from '../test/shape-rows.js';
import { Bernoulli, Independent } from './index.js';
import type { BernoulliParams } from './index.js';

const report = errorReport('Bernoulli', '@stdlib');

// float64 log masses from logits, for |logits| beyond where stdlib's 1 - p is representable.
const softplus64 = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const logMass64 = (x: number, l: number) => (x === 1 ? -softplus64(-l) : -softplus64(l));
const sigmoid64 = (l: number) => 1 / (1 + Math.exp(-l));

describe('Bernoulli against @stdlib', () => {
  const logits = [-80, -30, -5, -1, 0, 0.5, 5, 30, 80].map(f32);
  const probs = [0, 1e-7, 1e-3, 0.3, 0.5, 0.9, 1 - 1e-7, 1].map(f32);

  it('logProb from logits up to +-80 and from probs including exactly 0 and 1', () => {
    const dl = new Bernoulli({ logits });
    const extL = logits.map((l) => Math.abs(l) > 10);
    for (const x of [0, 1]) {
      // stdlib forms 1 - p, which loses digits in float64 for logits >~ 10; beyond |logits| = 5 the
      // oracle is the float64 closed form, checked against stdlib where both are exact.
      const expected = logits.map((l) => (Math.abs(l) <= 5 ? Math.log(bernoulliDist.pmf(x, sigmoid64(l))) : logMass64(x, l)));
      logits
        .filter((l) => Math.abs(l) <= 5)
        .forEach((l) => expect(logMass64(x, l)).toBeCloseTo(Math.log(bernoulliDist.pmf(x, sigmoid64(l))), 9));
      report.check('logProb', dl.logProb(x), expected, extL, { ordinary: 1e-6, extreme: 1e-6 });
    }
    const dp = new Bernoulli({ probs });
    const extP = probs.map((p) => p < 1e-2 || p > 0.99);
    for (const x of [0, 1])
      report.check(
        'logProb',
        dp.logProb(x),
        probs.map((p) => Math.log(bernoulliDist.pmf(x, p))),
        extP,
        { ordinary: 1e-6, extreme: 1e-6 },
      );
    expect(Array.from(dp.logProb(1).dataSync()).slice(0, 1)).toEqual([-Infinity]);
    expect(Array.from(dp.logProb(0).dataSync()).slice(-1)).toEqual([-Infinity]);
    dl.dispose();
    dp.dispose();
  });

  it('cdf, logCdf, entropy, mean, variance, stddev and mode', () => {
    const logits = [-30, -5, -1, 0, 0.5, 5, 30].map(f32);
    const ps = logits.map(sigmoid64);
    const ext = logits.map((l) => Math.abs(l) > 10);
    const d = new Bernoulli({ logits, validateArgs: false });
    for (const x of [-1, 0, 0.5, 1, 2]) {
      report.check(
        'cdf',
        d.cdf(x),
        ps.map((p) => bernoulliDist.cdf(x, p)),
        ext,
        { ordinary: 1e-6, extreme: 1e-6 },
      );
      const logCdf64 = (l: number) => (x < 0 ? -Infinity : x < 1 ? logMass64(0, l) : 0);
      report.check(
        'logCdf',
        d.logCdf(x),
        logits.map((l, i) => (Math.abs(l) <= 5 ? Math.log(bernoulliDist.cdf(x, ps[i])) : logCdf64(l))),
        ext,
        {
          ordinary: 1e-6,
          extreme: 1e-6,
        },
      );
    }
    report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-6 }, [
      ['entropy', d.entropy(), ps.map((p) => bernoulliDist.entropy(p))],
      ['mean', d.mean(), ps.map((p) => bernoulliDist.mean(p)), { ordinary: 1e-7, extreme: 1e-7 }],
      ['variance', d.variance(), ps.map((p) => bernoulliDist.variance(p))],
      ['stddev', d.stddev(), ps.map((p) => bernoulliDist.stdev(p))],
      ['mode', d.mode(), ps.map((p) => (p > 0.5 ? 1 : 0)), { ordinary: 0, extreme: 0 }],
    ]);
    d.dispose();
    const dp = new Bernoulli({ probs: [0, 0.5, 1] });
    expectClose(dp.entropy(), [0, Math.LN2, 0]);
    expectClose(dp.mode(), [0, 0, 1]);
    dp.dispose();
  });

  it('logits from probs next to 1/2, on both sides, keep their relative precision', () => {
    // Below 1/2, 1 - (2p - 1) rounds in float32, so log(1 + x) (what tf.log1p computes on wasm) put
    // these logits up to 50% off.
    const probs = [0.5 - 2 ** -25, 0.5 - 3 * 2 ** -25, 0.5 - 1001 * 2 ** -25, 0.4999, 0.5 + 2 ** -24, 0.5001, 0.3, 0.7].map(f32);
    const d = new Bernoulli({ probs });
    expectClose(
      d.logits,
      probs.map((p) => Math.log(p / (1 - p))),
      { rtol: 1e-6, atol: 0 },
    );
    d.dispose();
  });
});

describe('Bernoulli gradients', () => {
  it('logProb gradients in logits and in probs match float64 finite differences', () => {
    for (const x of [0, 1]) {
      const l = f32(0.7);
      const gl = tf.grad((t: tf.Tensor) => new Bernoulli({ logits: t }).logProb(x))(tf.scalar(l));
      expectClose(
        gl,
        derivative64((t) => logMass64(x, t), l),
        { rtol: 1e-5 },
      );
      const p = f32(0.3);
      const gp = tf.grad((t: tf.Tensor) => new Bernoulli({ probs: t }).logProb(x))(tf.scalar(p));
      expectClose(
        gp,
        derivative64((t) => Math.log(bernoulliDist.pmf(x, t)), p),
        { rtol: 1e-5 },
      );
    }
  });

  it('entropy gradients stay finite at logits +-80', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(new Bernoulli({ logits: t }).entropy()))(tf.tensor([-80, 80]));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });
});

describe('Bernoulli likelihood from logits (one op with its own gradient)', () => {
  // The textbook chain the op replaces; its autodiff gradient is the reference, to the bit.
  const chain = (l: tf.Tensor, x: tf.Tensor) => tf.sum(tf.neg(tf.softplus(tf.mul(tf.sub(1, tf.mul(2, x)), l))), -1);
  // Samples first: x is [2 samples, 2 batch, 6 pixels] against logits [2, 6] (made in each test:
  // the backend is chosen in beforeAll).
  const inputs = () => ({
    logits: tf.tensor2d([
      [-80, -5, 0, 0.3, 5, 80],
      [2, -2, 1e-3, -30, 30, 7],
    ]),
    x: tf.tensor3d([
      [
        [1, 0, 1, 1, 0, 1],
        [0, 0, 1, 1, 0, 1],
      ],
      [
        [0, 1, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 0],
      ],
    ]),
  });

  it('Independent sums it over the pixels: values and logits gradients equal the autodiff chain, finite at +-80', () => {
    const { logits, x } = inputs();
    const likelihood = (l: tf.Tensor) => new Independent({ distribution: new Bernoulli({ logits: l }), reinterpretedBatchNdims: 1 });
    const value = likelihood(logits).logProb(x);
    expect(value.shape).toEqual([2, 2]);
    // The chain with tfjs's own softplus differs in its last bits; @vae/math's softplus is the op's.
    expectClose(value, chain(logits, x), { rtol: 1e-6 });
    const weights = tf.tensor2d([
      [0.5, -2],
      [3, 1],
    ]);
    const g = tf.grad((l: tf.Tensor) => tf.sum(tf.mul(likelihood(l).logProb(x), weights)))(logits);
    // d/dl of -softplus((1 - 2x) l) is x - sigmoid(l), computed without cancellation in float64.
    const sig64 = (l: number) => 1 / (1 + Math.exp(-l));
    const [ls, xs, ws] = [logits.arraySync(), x.arraySync(), weights.arraySync()];
    const expected = ls.map((row, b) =>
      row.map((l, i) => xs.reduce((acc, xs2, s) => acc + ws[s][b] * (xs2[b][i] === 1 ? sig64(-l) : -sig64(l)), 0)),
    );
    expectClose(g, expected, { rtol: 1e-6, atol: 0 });
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('elementwise logProb (no Independent) has the same gradient, and none in the value', () => {
    const { logits, x } = inputs();
    const [gl, gx] = tf.grads((l: tf.Tensor, v: tf.Tensor) => tf.sum(new Bernoulli({ logits: l }).logProb(v)))([logits, x]);
    const viaIndependent = tf.grad((l: tf.Tensor) =>
      tf.sum(new Independent({ distribution: new Bernoulli({ logits: l }), reinterpretedBatchNdims: 1 }).logProb(x)),
    )(logits);
    expect(Array.from(gl.dataSync())).toEqual(Array.from(viaIndependent.dataSync()));
    // A Bernoulli value is discrete: logProb is not differentiated in it.
    expect(Array.from(gx.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('probs is computed on first use, kept, recomputed after its scope ends, and freed by dispose()', async () => {
    const l = tf.tensor1d([-1, 0, 2]);
    const before = tf.memory().numTensors;
    const d = new Bernoulli({ logits: l });
    expect(tf.memory().numTensors).toBe(before);
    tf.tidy(() => {
      d.logProb([1, 0, 1]);
    });
    expect(tf.memory().numTensors).toBe(before);
    const inScope = tf.tidy(() => Array.from(d.probs.dataSync()));
    expect(tf.memory().numTensors).toBe(before);
    expectClose(
      d.probs,
      inScope.map((_, i) => 1 / (1 + Math.exp(-[-1, 0, 2][i]))),
    );
    expect(d.probs).toBe(d.probs);
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expectMemoryNeutral(() => {
      const e = new Bernoulli({ logits: l, validateArgs: false });
      const out = [e.mean(), e.sample([2], 1)];
      e.dispose();
      return out;
    });
    l.dispose();
  });

  it('probs read again and again, inside and outside tidy, keeps one tensor and lets go of the ones its scopes freed', async () => {
    setFlagsFromString('--expose-gc'); // for the collector below: a dead tensor still listed is garbage kept alive
    const collectGarbage = runInNewContext('gc') as () => void;
    for (const params of [{ logits: [-1, 0, 2] }, { probs: [0.2, 0.5, 0.9] }]) {
      const before = tf.memory().numTensors;
      const d = new Bernoulli(params);
      const owned = tf.memory().numTensors - before; // logits, and probs when given
      const freedByScopes: WeakRef<tf.Tensor>[] = [];
      for (let i = 0; i < 20; i++) tf.tidy(() => void freedByScopes.push(new WeakRef(d.probs)));
      expect(tf.memory().numTensors - before).toBe(owned);
      const kept = d.probs; // read outside any scope: kept until dispose()
      expect(tf.memory().numTensors - before).toBe(params.probs ? owned : owned + 1);
      await expectMemoryNeutral(() => {
        for (let i = 0; i < 20; i++) tf.tidy(() => void tf.sum(d.probs));
        expect(d.probs).toBe(kept);
      }, 'reading probs');
      await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets live until the job ends
      collectGarbage();
      const alive = freedByScopes.filter((ref) => ref.deref() !== undefined).length;
      expect(alive).toBe(params.probs ? 20 : 0); // given probs are the same tensor every time
      d.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describeStandardChecks<BernoulliParams>({
  family: Bernoulli,
  shapes: scalarEventShapes({ logits: 0 }, { probs: [0.1, 0.9] }, { logits: grid2x3() }),
  params: { logits: [-2, 0, 1.5] },
  value: [0, 1, 1],
  badParams: [
    [{ probs: [0.5, 1.5] }, 'Bernoulli: probs must be in [0, 1]; got 1.5 at index [1]'],
    [{ logits: NaN }, /Bernoulli: logits must be a real number/],
    [{ logits: 0, probs: 0.5 }, 'Bernoulli: logits or probs must be given (exactly one of them); got both'],
    [{}, 'Bernoulli: logits or probs must be given (exactly one of them); got neither'],
  ],
  outside: [0.5, 2, -1, NaN],
  supportMessage: /Bernoulli: value must be in the support: 0 or 1/,
  finiteGradients: { build: (p) => new Bernoulli({ logits: p }), param: [-80, 0.3, 80], values: [0, 1, 1] },
});
