import * as tf from '@tensorflow/tfjs-core';
import { ACCURATE_SOFTPLUS } from './wasm-softplus.js';
import { registerNativeNormalKLKernels, unregisterNativeNormalKLKernels } from './native-normal-kl.js';
import { nativeBackend, type NativeBackend } from './tfjs-internals.js';

/** The activations {@link nativeDense} applies after the affine map. */
export type NativeDenseActivation = 'elu' | 'linear';

// Kernel names: registered for the tensorflow backend only, by enableNativeKernels.
const DENSE = 'VaeNativeDense';
const MATMUL = 'VaeNativeMatMul';
const BIAS_GRAD = 'VaeNativeBiasAddGrad';
const NATIVE = 'tensorflow';

const native = (backend: unknown): NativeBackend => nativeBackend(backend, 'nativeDense');

const floatType = (b: NativeBackend) => ({ name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT });

function matMul(b: NativeBackend, a: tf.TensorInfo, w: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.Tensor {
  // TensorFlow's 2-D MatMul: tfjs's matMul op would reshape both operands and the result to 3-D
  // around BatchMatMul, three extra trips through the binding.
  return b.executeSingleOutput(
    'MatMul',
    [
      { name: 'transpose_a', type: b.binding.TF_ATTR_BOOL, value: transposeA },
      { name: 'transpose_b', type: b.binding.TF_ATTR_BOOL, value: transposeB },
      floatType(b),
    ],
    [a, w],
  );
}

const kernels: tf.KernelConfig[] = [
  {
    kernelName: DENSE,
    backendName: NATIVE,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = native(backend);
      const { x, kernel, bias } = inputs as { x: tf.TensorInfo; kernel: tf.TensorInfo; bias: tf.TensorInfo };
      const product = matMul(b, x, kernel, false, false);
      const affine = b.executeSingleOutput('BiasAdd', [floatType(b)], [product, bias]);
      product.dispose();
      if ((attrs as { activation: NativeDenseActivation }).activation === 'linear') return affine;
      const y = b.executeSingleOutput('Elu', [floatType(b)], [affine]);
      affine.dispose();
      return y;
    },
  },
  {
    kernelName: MATMUL,
    backendName: NATIVE,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b: w } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      return matMul(native(backend), a, w, transposeA, transposeB);
    },
  },
  {
    // @vae/math's softplus runs this one tfjs kernel where it is registered: max(x, 0) +
    // log1p(exp(-|x|)) as six TensorFlow ops inside it, so the engine and the gradient tape see one
    // kernel and no intermediate. Not TensorFlow's own Softplus: that one is a scalar loop with
    // branches (1.5-1.8 ms on [512, 784] against 1.0-1.3 ms for these six vectorized passes) and
    // takes exp(x) for log1p(exp(x)) below -13.9 (relative error up to 4.6e-7); these are the
    // six kernels the tfjs formula runs on this backend, so the values are the formula's.
    kernelName: ACCURATE_SOFTPLUS,
    backendName: NATIVE,
    kernelFunc: ({ inputs, backend }) => {
      const b = native(backend);
      const { x } = inputs as { x: tf.TensorInfo };
      if (x.dtype !== 'float32') throw new Error(`${ACCURATE_SOFTPLUS}: x must be float32, got ${x.dtype}`);
      const run = (op: string, args: tf.TensorInfo[], free: tf.Tensor[] = []) => {
        const out = b.executeSingleOutput(op, [floatType(b)], args);
        free.forEach((t) => t.dispose());
        return out;
      };
      const abs = run('Abs', [x]);
      const negAbs = run('Neg', [abs], [abs]);
      const e = run('Exp', [negAbs], [negAbs]);
      const tail = run('Log1p', [e], [e]);
      const relu = run('Relu', [x]);
      return run('AddV2', [relu, tail], [relu, tail]);
    },
  },
  {
    kernelName: BIAS_GRAD,
    backendName: NATIVE,
    kernelFunc: ({ inputs, backend }) => {
      const b = native(backend);
      return b.executeSingleOutput('BiasAddGrad', [floatType(b)], [(inputs as { dy: tf.TensorInfo }).dy]);
    },
  },
];

// tfjs's gradients cast float32 tensors to float32 (the multiply's, the mean's: about ten per
// training step) and reshape tensors to the shape they have (the tape's bookkeeping and the
// samplers': about a dozen), and tfjs-node runs each as a TensorFlow op, a trip through the binding
// (for a reshape, two: the target shape is uploaded as a tensor first) that copies nothing useful.
// The wrapped kernels answer those the way tfjs-node's Identity does (one more reference to the
// same data, the same shape and dtype) and hand every other call to the kernel they replaced, which
// disableNativeKernels puts back.
const replacedKernels = new Map<string, tf.KernelConfig>();

const PASS_THROUGH: Record<string, (x: tf.TensorInfo, attrs: tf.NamedAttrMap) => boolean> = {
  Cast: (x, attrs) => x.dtype === (attrs as { dtype: tf.DataType }).dtype,
  Reshape: (x, attrs) => {
    const shape = (attrs as { shape: number[] }).shape;
    return shape.length === x.shape.length && shape.every((d, i) => d === x.shape[i]);
  },
};

function wrapPassThroughKernels(): void {
  for (const [name, unchanged] of Object.entries(PASS_THROUGH)) {
    const original = tf.getKernel(name, NATIVE);
    if (original === undefined || replacedKernels.has(name)) continue;
    replacedKernels.set(name, original);
    tf.unregisterKernel(name, NATIVE);
    tf.registerKernel({
      kernelName: name,
      backendName: NATIVE,
      kernelFunc: (args) => {
        const { x } = args.inputs as { x: tf.TensorInfo };
        if (!unchanged(x, args.attrs ?? {})) return original.kernelFunc(args);
        (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
    });
  }
}

function restorePassThroughKernels(): void {
  for (const [name, original] of replacedKernels) {
    tf.unregisterKernel(name, NATIVE);
    tf.registerKernel(original);
  }
  replacedKernels.clear();
}

const denseGradient: tf.GradConfig = {
  kernelName: DENSE,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved;
    const run = (name: string, inputs: tf.NamedTensorMap, kernelAttrs: tf.NamedAttrMap = {}) =>
      tf.engine().runKernel(name, inputs, kernelAttrs) as tf.Tensor;
    const g = dy as tf.Tensor;
    const dz = (attrs as { activation: NativeDenseActivation }).activation === 'elu' ? run('EluGrad', { dy: g, y }) : g;
    // Thunks: the tape calls only those an input on the path to the variables needs, so the first
    // layer never forms d(loss)/d(image).
    return {
      x: () => run(MATMUL, { a: dz, b: kernel }, { transposeA: false, transposeB: true }),
      kernel: () => run(MATMUL, { a: x, b: dz }, { transposeA: true, transposeB: false }),
      bias: () => run(BIAS_GRAD, { dy: dz }),
    };
  },
};

/**
 * Registers the native dense-layer kernels for tfjs-node's `tensorflow` backend (idempotent).
 * {@link selectBackend} calls it when it picks the native backend.
 *
 * @remarks
 * On TensorFlow every kernel is a round trip through the binding, so the count of kernels sets the
 * speed of a small network. A dense layer `elu(x W + b)` written with tfjs ops runs 6 kernels
 * forward (matMul reshapes both operands and its result to 3-D) and about 11 backward; the
 * kernels registered here run TensorFlow's 2-D `MatMul`, `BiasAdd` and `Elu` forward (3) and
 * `EluGrad`, two `MatMul` and `BiasAddGrad` backward (4, or 3 for the first layer). It also
 * registers `AccurateSoftplus`, which `@vae/math`'s `softplus` runs where it exists:
 * max(x, 0) + log1p(exp(-|x|)) as one tfjs kernel (six TensorFlow ops inside it, the values of the
 * tfjs formula), in place of six tfjs kernels and their tape entries. And it wraps tfjs-node's
 * `Cast` and `Reshape` so that a cast to the tensor's own dtype or a reshape to its own shape
 * (tfjs's gradients and bookkeeping make about twenty per training step) shares the data, as
 * `Identity` does there, instead of calling TensorFlow. And it registers `@vae/math`'s Normal KL
 * kernels (`NORMAL_KL_KERNEL`, `NORMAL_KL_GRAD_KERNEL`) as direct TensorFlow calls: the same ops
 * as math's tfjs-op kernels, without the engine's cost per op or a scalar upload per constant.
 *
 * @returns nothing; {@link isNativeDenseActive} says whether {@link nativeDense} uses them
 *
 * @example
 * ```ts
 * import { enableNativeKernels, isNativeDenseActive } from '@vae/backends';
 * enableNativeKernels();
 * console.log(typeof isNativeDenseActive()); // boolean
 * ```
 */
export function enableNativeKernels(): void {
  for (const kernel of kernels) {
    if (tf.getKernel(kernel.kernelName, NATIVE) === undefined) tf.registerKernel(kernel);
  }
  if (tf.getGradient(DENSE) === undefined) tf.registerGradient(denseGradient);
  wrapPassThroughKernels();
  registerNativeNormalKLKernels();
}

/**
 * Unregisters the kernels of {@link enableNativeKernels}; {@link nativeDense} then runs tfjs ops.
 *
 * @returns nothing
 *
 * @example
 * ```ts
 * import { disableNativeKernels, isNativeDenseActive } from '@vae/backends';
 * disableNativeKernels();
 * console.log(isNativeDenseActive()); // false
 * ```
 */
export function disableNativeKernels(): void {
  for (const kernel of kernels) {
    if (tf.getKernel(kernel.kernelName, NATIVE) !== undefined) tf.unregisterKernel(kernel.kernelName, NATIVE);
  }
  restorePassThroughKernels();
  unregisterNativeNormalKLKernels();
}

/**
 * Whether {@link nativeDense} runs the native kernels: the active backend is `tensorflow` and
 * {@link enableNativeKernels} has registered them.
 *
 * @returns true when a dense layer is 3 native kernels forward
 *
 * @example
 * ```ts
 * import { isNativeDenseActive } from '@vae/backends';
 * console.log(isNativeDenseActive()); // false (on cpu and wasm)
 * ```
 */
export function isNativeDenseActive(): boolean {
  return tf.getBackend() === NATIVE && tf.getKernel(DENSE, NATIVE) !== undefined;
}

/**
 * A dense layer, `activation(x W + b)`, as few kernels as the backend allows.
 *
 * @remarks
 * With {@link isNativeDenseActive}, one op whose kernels call TensorFlow directly (see
 * {@link enableNativeKernels}); its gradient is `dz = dy * elu'(.)` (through `EluGrad`, from the
 * output), `dx = dz W^T`, `dW = x^T dz`, `db = sum over the batch of dz`. Otherwise the tfjs ops
 * `elu(matMul(x, W) + b)`, whose gradients tfjs derives.
 *
 * @param x - input, `[batch, in]`
 * @param kernel - weights, `[in, out]`
 * @param bias - bias, `[out]`
 * @param activation - `elu` or `linear`
 * @returns `[batch, out]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { nativeDense } from '@vae/backends';
 *
 * tf.tidy(() => {
 *   const y = nativeDense(tf.tensor2d([[1, 2]]), tf.tensor2d([[1], [-1]]), tf.tensor1d([0.5]), 'elu');
 *   console.log(y.arraySync()); // [[-0.393]]  (elu(-0.5) = exp(-0.5) - 1)
 * });
 * ```
 */
export function nativeDense(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, activation: NativeDenseActivation): tf.Tensor {
  if (x.rank !== 2 || kernel.rank !== 2 || bias.rank !== 1 || x.shape[1] !== kernel.shape[0] || kernel.shape[1] !== bias.shape[0]) {
    throw new Error(
      `nativeDense: x [batch, in], kernel [in, out] and bias [out] must agree; got ${JSON.stringify([x.shape, kernel.shape, bias.shape])}`,
    );
  }
  if (activation !== 'elu' && activation !== 'linear')
    throw new Error(`nativeDense: activation must be elu or linear; got ${String(activation)}`);
  if (isNativeDenseActive() && x.dtype === 'float32') {
    return tf.engine().runKernel(DENSE, { x, kernel, bias }, { activation }) as tf.Tensor;
  }
  return tf.tidy(() => {
    const affine = tf.add(tf.matMul(x, kernel), bias);
    return activation === 'elu' ? tf.elu(affine) : affine;
  });
}
