import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, expectWithinStandardErrors } from '@vae/testing';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { Categorical, OneHotCategorical } from './index.js';
import type { CategoricalParams } from './index.js';

// The oracle: log-softmax, entropy and argmax in float64, from the float32-rounded parameters.
const logSoftmax64 = (l: number[]) => {
  const m = Math.max(...l);
  const lse = m + Math.log(l.reduce((s, v) => s + Math.exp(v - m), 0));
  return l.map((v) => v - lse);
};
const entropy64 = (l: number[]) => -logSoftmax64(l).reduce((s, v) => s + (v === -Infinity ? 0 : Math.exp(v) * v), 0);

const report = errorReport('Categorical', 'float64 log-softmax');

const ORDINARY: number[][] = [
  [0, 0, 0],
  [1, -0.5, 2],
  [0.3, 0.1, -2],
];
const EXTREME: number[][] = [
  [80, 0, -80],
  [-80, -80, 80],
  [1e-6, 0, 3e-6],
  [-Infinity, 0, 1],
];

describe('Categorical and OneHotCategorical against float64', () => {
  const rows = [...ORDINARY, ...EXTREME].map((r) => r.map(f32));
  const ext = rows.map((_, i) => i >= ORDINARY.length);

  it('logProb of every category from logits up to +-80 and -Infinity', () => {
    const d = new Categorical({ logits: rows });
    const oh = new OneHotCategorical({ logits: rows });
    for (let k = 0; k < 3; k++) {
      const expected = rows.map((r) => logSoftmax64(r)[k]);
      report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-6 }, [
        ['logProb', d.logProb(k), expected],
        ['logProb', d.logProb(tf.scalar(k, 'int32')), expected],
        ['logProb (one-hot)', oh.logProb(tf.cast(tf.oneHot(k, 3), 'float32')), expected],
      ]);
    }
    d.dispose();
    oh.dispose();
  });

  it('probs with exact zeros: log p = -Infinity for those, entropy ignores them', () => {
    const d = new Categorical({
      probs: [
        [0.2, 0, 0.8],
        [0, 1, 0],
      ],
    });
    expectClose(d.logProb([1, 1]), [-Infinity, 0]);
    expectClose(d.logProb([2, 0]), [Math.log(0.8), -Infinity], { rtol: 1e-6 });
    report.check('entropy', d.entropy(), [entropy64([Math.log(0.2), -Infinity, Math.log(0.8)]), 0], [true, true], {
      ordinary: 1e-6,
      extreme: 1e-6,
    });
    d.dispose();
  });

  it('the index mean sum_k k p_k and variance sum_k (k - mean)^2 p_k, in closed form', () => {
    const probs = [
      [0.2, 0.3, 0.5],
      [1, 0, 0],
      [0, 0, 1],
    ];
    const d = new Categorical({ probs });
    const mean = probs.map((p) => p.reduce((a, v, k) => a + k * v, 0));
    expectClose(d.mean(), mean, { rtol: 1e-6, atol: 1e-7 });
    expectClose(
      d.variance(),
      probs.map((p, i) => p.reduce((a, v, k) => a + (k - mean[i]) ** 2 * v, 0)),
      { rtol: 1e-6, atol: 1e-7 },
    );
    d.dispose();
  });

  it('entropy, mode, and the one-hot mean and variance', () => {
    const d = new Categorical({ logits: rows });
    const oh = new OneHotCategorical({ logits: rows });
    report.checkEach(ext, { ordinary: 1e-6, extreme: 1e-6 }, [
      ['entropy', d.entropy(), rows.map(entropy64)],
      ['entropy (one-hot)', oh.entropy(), rows.map(entropy64)],
    ]);
    const argmax = rows.map((r) => r.indexOf(Math.max(...r)));
    expect(Array.from(d.mode().dataSync())).toEqual(argmax);
    expect(d.mode().dtype).toBe('int32');
    expectClose(
      oh.mode(),
      argmax.map((k) => [0, 1, 2].map((j) => (j === k ? 1 : 0))),
    );
    const p = rows.map((r) => logSoftmax64(r).map(Math.exp));
    const pExt = rows.flatMap((_, i) => [ext[i], ext[i], ext[i]]);
    report.checkEach(pExt, { ordinary: 1e-6, extreme: 1e-6 }, [
      ['mean (one-hot)', oh.mean(), p.flat()],
      ['variance (one-hot)', oh.variance(), p.flat().map((v) => v * (1 - v))],
    ]);
    d.dispose();
    oh.dispose();
  });

  it('sample frequencies match the probabilities', () => {
    const probs = [0.1, 0.2, 0.7];
    const d = new Categorical({ probs });
    const n = 20000;
    const s = d.sample([n], 3);
    expect(s.dtype).toBe('int32');
    const data = Array.from(s.dataSync());
    probs.forEach((p, k) => {
      const freq = data.reduce((c, v) => c + (v === k ? 1 : 0), 0) / n;
      expectWithinStandardErrors(freq, p, Math.sqrt((p * (1 - p)) / n), { label: `P(k = ${k})` });
    });
    d.dispose();
  });
});

describe('Categorical gradients', () => {
  it('d logProb(k) / d logits_j = [j = k] - p_j, against float64 finite differences', () => {
    const l = [0.3, -1.2, 2.1].map(f32);
    for (const k of [0, 2]) {
      const g = tf.grad((t: tf.Tensor) => new Categorical({ logits: t }).logProb(k))(tf.tensor(l));
      const fd = l.map((_, j) => derivative64((t) => logSoftmax64(l.map((v, i) => (i === j ? t : v)))[k], l[j]));
      expectClose(g, fd, { rtol: 1e-5, atol: 1e-6 });
      const gp = tf.grad((t: tf.Tensor) => new OneHotCategorical({ logits: t }).logProb(tf.cast(tf.oneHot(k, 3), 'float32')))(tf.tensor(l));
      expectClose(gp, fd, { rtol: 1e-5, atol: 1e-6 });
    }
  });

  it('entropy gradients are finite with -Infinity logits and zero probs', () => {
    const g = tf.grad((t: tf.Tensor) => new Categorical({ logits: t }).entropy())(tf.tensor([-Infinity, 0, 1]));
    expect(Array.from(g.dataSync()).every((v) => !Number.isNaN(v))).toBe(true);
  });
});

// The shape rows' batches, shared by Categorical and OneHotCategorical (which differ in event shape only).
const TWO_BY_TWO: CategoricalParams = {
  probs: [
    [0.1, 0.9],
    [0.5, 0.5],
  ],
};
const TWO_BY_THREE_BY_TWO: CategoricalParams = {
  logits: [
    [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
    [
      [0, 0],
      [1, 1],
      [2, 2],
    ],
  ],
};

describeStandardChecks<CategoricalParams>({
  family: Categorical,
  shapes: [
    [{ logits: [0, 1, 2] }, [], [], [], []],
    [TWO_BY_TWO, [2], [], [3], [3, 2]],
    [TWO_BY_THREE_BY_TWO, [2, 3], [], [4, 5], [4, 5, 2, 3]],
  ],
  params: {
    logits: [
      [-2, 0, 1.5],
      [0, 0, 0],
    ],
  },
  value: [2, 0],
  badParams: [
    [
      { probs: [0.5, 0.25] },
      /Categorical: probs must be on the probability simplex \(entries >= 0, summing to 1 within 0.0001\); got \[0.5, 0.25\]/,
    ],
    [{ logits: [0, NaN] }, /Categorical: logits must be real numbers or -Infinity/],
    [{ logits: 1 }, /Categorical: logits must be at least one-dimensional/],
    [{ logits: [0], probs: [1] }, 'Categorical: logits or probs must be given (exactly one of them); got both'],
  ],
  outside: [3, -1, 0.5, NaN],
  supportMessage: /Categorical: value must be in the support: an integer in \[0, 2\]/,
  finiteGradients: {
    build: (p) => new Categorical({ logits: p }),
    param: [
      [-Infinity, 0, 1],
      [80, 0, -80],
    ],
    values: [2, 1],
  },
});

describeStandardChecks<CategoricalParams>({
  family: OneHotCategorical,
  shapes: [
    [{ logits: [0, 1, 2] }, [], [3], [], [3]],
    [TWO_BY_TWO, [2], [2], [3], [3, 2, 2]],
    [TWO_BY_THREE_BY_TWO, [2, 3], [2], [4, 5], [4, 5, 2, 3, 2]],
  ],
  params: {
    logits: [
      [-2, 0, 1.5],
      [0, 0, 0],
    ],
  },
  value: [
    [0, 0, 1],
    [1, 0, 0],
  ],
  badParams: [[{ probs: [-0.5, 1.5] }, /OneHotCategorical: probs must be on the probability simplex/]],
  outside: [
    [1, 1, 0],
    [0, 0, 0],
    [0.5, 0.5, 0],
  ],
  supportMessage: /OneHotCategorical: value must be in the support: one-hot/,
  finiteGradients: {
    build: (p) => new OneHotCategorical({ logits: p }),
    param: [
      [-Infinity, 0, 1],
      [80, 0, -80],
    ],
    values: [
      [0, 0, 1],
      [0, 1, 0],
    ],
  },
});
