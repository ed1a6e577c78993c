import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import { FlowLayer, Householder, MaskedAutoregressive, Planar, Radial } from '../index.js';
import type { FlowLayerParams } from '../index.js';

/** y = x + b, with a least size of 3 so the base's dim check is seen with a layer's own minimum. */
class LearnedShift extends FlowLayer {
  static override readonly bijectorName: string = 'LearnedShift';
  readonly b: tf.Variable;
  readonly scale: tf.Variable;
  constructor(params: FlowLayerParams & { b?: number[] }) {
    super(params, { isConstantJacobian: true }, 3);
    this.b = this.variable('b', [this.dim], { initial: params.b, stddev: 1, seed: params.seed });
    this.scale = this.variable('scale', [], { initial: 1 });
  }
  protected _forward(x: tf.Tensor): tf.Tensor {
    return tf.add(x, this.b);
  }
  protected _inverse(y: tf.Tensor): tf.Tensor {
    return tf.sub(y, this.b);
  }
  protected override _forwardLogDetJacobian(): tf.Tensor {
    return tf.scalar(0);
  }
}

const layers: [string, () => FlowLayer][] = [
  ['Planar', () => new Planar({ dim: 2, seed: 1 })],
  ['Radial', () => new Radial({ dim: 2, seed: 1 })],
  ['Householder', () => new Householder({ dim: 2, seed: 1 })],
  ['MaskedAutoregressive', () => new MaskedAutoregressive({ dim: 2, seed: 1 })],
  ['LearnedShift', () => new LearnedShift({ dim: 3, seed: 1 })],
];

describe('FlowLayer', () => {
  it.each(layers)('%s: every public call names an input whose last axis is not dim, as x or y', (name, make) => {
    const layer = make();
    const wrong = tf.zeros([2, layer.dim + 1]);
    const message = (argument: string) =>
      new RegExp(`${name}: ${argument} must be of shape batch \\+ \\[${layer.dim}\\] \\(the layer's dim\\)`);
    expect(() => layer.forward(wrong)).toThrow(message('x'));
    expect(() => layer.forwardLogDetJacobian(wrong)).toThrow(message('x'));
    expect(() => layer.forwardAndLogDetJacobian(wrong)).toThrow(message('x'));
    expect(() => layer.inverse(wrong)).toThrow(message('y'));
    expect(() => layer.inverseLogDetJacobian(wrong)).toThrow(message('y'));
    wrong.dispose();
    layer.dispose();
  });

  it('owns its variables: lists them in creation order, and dispose() frees them all', () => {
    const before = tf.memory().numTensors;
    const layer = new LearnedShift({ dim: 3, b: [1, 2, 3] });
    expect(layer.trainableVariables()).toEqual([layer.b, layer.scale]);
    // A copy: a caller's edits to the list do not reach the layer.
    layer.trainableVariables().pop();
    expect(layer.trainableVariables()).toHaveLength(2);
    tf.tidy(() => expectClose(layer.forward([[0, 0, 0]]), [[1, 2, 3]]));
    layer.dispose();
    expect(layer.b.isDisposed && layer.scale.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checks dim against the layer’s least size, and seeds its draws', () => {
    expect(() => new LearnedShift({ dim: 2 })).toThrow(/LearnedShift: dim must be an integer >= 3/);
    const a = new LearnedShift({ dim: 3, seed: 4 });
    const b = new LearnedShift({ dim: 3, seed: 4 });
    expectClose(a.b, b.b, { rtol: 0, atol: 0 });
    a.dispose();
    b.dispose();
  });

  it('a constructor that throws part-way frees the variables it had made', () => {
    const before = tf.memory().numTensors;
    // Planar makes u before it rejects w; Householder makes its vectors before it rejects a zero row.
    expect(() => new Planar({ dim: 2, u: [1, 2], w: [1, NaN] })).toThrow(/Planar: w must be finite/);
    expect(() => new Planar({ dim: 2, b: [1] })).toThrow(/Planar: b must be of shape \[\]/);
    expect(() => new Householder({ dim: 2, vectors: [[0, 0]] })).toThrow(/Householder: vectors must be nonzero rows/);
    expect(() => new Radial({ dim: 2, rawBeta: Infinity })).toThrow(/Radial: rawBeta must be finite/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
