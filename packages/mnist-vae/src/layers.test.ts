import * as tf from '@tensorflow/tfjs';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { applyDense, applyStack, glorotUniform, type DenseLayer } from './layers.js';
import { Rng } from './rng.js';

const elu = (v: number) => (v > 0 ? v : Math.expm1(v));

describe('glorotUniform', () => {
  it('draws from U(-limit, limit), limit = sqrt(6 / (fanIn + fanOut)): range, mean 0, variance limit^2 / 3', () => {
    const [fanIn, fanOut] = [300, 100];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = glorotUniform(fanIn, fanOut, new Rng(1));
    expect(w.length).toBe(fanIn * fanOut);
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-limit);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan((5 * limit) / Math.sqrt(3 * w.length));
    expect(Math.abs(variance - limit ** 2 / 3)).toBeLessThan(0.02 * limit ** 2);
    expect(glorotUniform(fanIn, fanOut, new Rng(1))).toEqual(w);
  });
});

describe('applyDense and applyStack', () => {
  let layers: DenseLayer[];
  const W1 = [
    [1, -1, 0.5],
    [2, 0, -0.5],
  ];
  const b1 = [0.1, -0.2, 0];
  const W2 = [[1], [-2], [3]];
  const b2 = [0.5];
  beforeAll(() => {
    layers = [
      { kernel: tf.variable(tf.tensor2d(W1)), bias: tf.variable(tf.tensor1d(b1)), activation: 'elu' },
      { kernel: tf.variable(tf.tensor2d(W2)), bias: tf.variable(tf.tensor1d(b2)), activation: 'linear' },
    ];
  });
  afterAll(() => layers.forEach((l) => tf.dispose([l.kernel, l.bias])));

  // Host reference: h = elu(x W1 + b1), y = h W2 + b2.
  const reference = (x: number[]) => {
    const h = b1.map((b, j) => elu(b + x.reduce((s, xi, i) => s + xi * W1[i][j], 0)));
    return b2.map((b, j) => b + h.reduce((s, hi, i) => s + hi * W2[i][j], 0));
  };

  it('computes activation(x W + b), for a batch and for inputs of higher rank', () => {
    const xs = [
      [0.5, -1],
      [2, 1],
      [-3, 0.25],
      [0, 0],
    ];
    const h = applyDense(layers[0], tf.tensor2d(xs));
    expectClose(
      h,
      xs.map((x) => b1.map((b, j) => elu(b + x.reduce((s, xi, i) => s + xi * W1[i][j], 0)))),
      { rtol: 1e-5, atol: 1e-6 },
    );
    const y = applyStack(layers, tf.tensor3d([xs.slice(0, 2), xs.slice(2)]));
    expect(y.shape).toEqual([2, 2, 1]);
    expectClose(y, [xs.slice(0, 2).map(reference), xs.slice(2).map(reference)], { rtol: 1e-5, atol: 1e-6 });
  });

  it('has the gradient of the affine map and the activation (finite differences of the host reference)', () => {
    const x = [0.3, -0.7];
    const g = tf
      .grad((t: tf.Tensor) => tf.sum(applyStack(layers, t)))(tf.tensor2d([x]))
      .arraySync() as number[][];
    const h = 1e-4;
    x.forEach((_, i) => {
      const up = x.slice();
      const down = x.slice();
      up[i] += h;
      down[i] -= h;
      expect(g[0][i]).toBeCloseTo((reference(up)[0] - reference(down)[0]) / (2 * h), 3);
    });
  });

  it('is memory-neutral', async () => {
    const x = tf.ones([3, 2]);
    await expectMemoryNeutral(() => applyStack(layers, x));
    x.dispose();
  });
});
