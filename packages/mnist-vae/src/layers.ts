import * as tf from '@tensorflow/tfjs';
import { nativeDense } from '@vae/backends';
import { Rng } from './rng.js';

/** An activation applied after a dense layer. */
export type Activation = 'elu' | 'linear';

/** One fully connected layer: `y = act(x W + b)`, with `W` of shape `[in, out]`. */
export interface DenseLayer {
  /** The weight matrix, `[in, out]`. */
  kernel: tf.Variable;
  /** The bias, `[out]`. */
  bias: tf.Variable;
  /** The activation after the affine map. */
  activation: Activation;
}

/**
 * Glorot-uniform initial weights drawn from a seeded host generator, so a model's initial state
 * is the same on every backend.
 */
export function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * limit;
  return out;
}

/** Applies a dense layer to a `[batch, in]` input (or any leading shape, flattened and restored). */
export function applyDense(layer: DenseLayer, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inDim = layer.kernel.shape[0];
    const lead = x.shape.slice(0, -1);
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
    // Plain matMul, not tfjs's fused or a custom-gradient op: each input's gradient is then formed
    // only when something upstream needs it, so the first encoder layer never forms
    // d(loss)/d(image), a third of that layer's backward cost. nativeDense keeps that property: on
    // wasm and cpu it is these tfjs ops (transposed products on wasm are left to
    // enableFastWasmMatMul), on tfjs-node a few direct TensorFlow kernels (enableNativeKernels).
    const y = nativeDense(flat, layer.kernel, layer.bias, layer.activation);
    return x.rank === 2 ? y : tf.reshape(y, [...lead, layer.kernel.shape[1] as number]);
  });
}

/**
 * Applies layers in order to a `[batch, in]` input, or any leading shape: flattened to 2-D once
 * and restored once, not around each layer (on tfjs-node each reshape is a trip through the
 * binding, forward and again in the gradient).
 */
export function applyStack(layers: readonly DenseLayer[], x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (layers.length === 0) return tf.clone(x);
    const lead = x.shape.slice(0, -1);
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, layers[0].kernel.shape[0]]);
    const y = layers.reduce<tf.Tensor>((h, layer) => applyDense(layer, h), flat);
    return x.rank === 2 ? y : tf.reshape(y, [...lead, layers[layers.length - 1].kernel.shape[1] as number]);
  });
}
