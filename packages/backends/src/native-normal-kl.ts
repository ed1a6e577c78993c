// @vae/math's Normal-Normal KL kernels for tfjs-node: the same op sequence as math's tfjs-op
// kernels (the formula is math's `normalKLTerm` / `normalKLGradientTerm`, run here over direct
// TensorFlow calls), so the values are those of tfjs ops on this backend. Through the tfjs engine
// each of the ~36 small ops costs about three times the TensorFlow call itself, and each number in
// the formula would be a scalar uploaded per call; here the constants are uploaded once.
import * as tf from '@tensorflow/tfjs-core';
import {
  NORMAL_KL_GRAD_KERNEL,
  NORMAL_KL_KERNEL,
  normalKLGradientTerm,
  normalKLTerm,
  type NormalKLInput,
  type NormalKLOps,
} from '@vae/math';
import { nativeBackend, type NativeBackend } from './tfjs-internals.js';

const NATIVE = 'tensorflow';

// The constant scalars of each backend instance, as backend data (not engine tensors, so a call is
// memory-neutral by tf.memory() from the first), freed by unregisterNativeNormalKLKernels.
const constants = new Map<NativeBackend, Map<number, tf.TensorInfo>>();

function nativeOps(b: NativeBackend): NormalKLOps<tf.TensorInfo> {
  let table = constants.get(b);
  if (table === undefined) constants.set(b, (table = new Map()));
  const known = table;
  const constant = (value: number): tf.TensorInfo => {
    let info = known.get(value);
    if (info === undefined) {
      info = { dataId: b.write(new Float32Array([value]), [], 'float32'), shape: [], dtype: 'float32' };
      known.set(value, info);
    }
    return info;
  };
  const arg = (x: tf.TensorInfo | number) => (typeof x === 'number' ? constant(x) : x);
  const attrs = [{ name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT }];
  const run = (op: string, inputs: (tf.TensorInfo | number)[]) => b.executeSingleOutput(op, attrs, inputs.map(arg));
  return {
    add: (a, c) => run('AddV2', [a, c]),
    sub: (a, c) => run('Sub', [a, c]),
    mul: (a, c) => run('Mul', [a, c]),
    div: (a, c) => run('RealDiv', [a, c]),
    neg: (a) => run('Neg', [a]),
    square: (a) => run('Square', [a]),
    log: (a) => run('Log', [a]),
    exp: (a) => run('Exp', [a]),
    less: (a, c) => run('Less', [a, c]),
    // SelectV2 broadcasts its three operands, as tfjs's where does after broadcastTo.
    select: (cond, a, c) => run('SelectV2', [cond, a, c]),
  };
}

type Params = Record<NormalKLInput, tf.TensorInfo>;

const kernels: tf.KernelConfig[] = [
  {
    kernelName: NORMAL_KL_KERNEL,
    backendName: NATIVE,
    kernelFunc: ({ inputs, backend }) => {
      const p = inputs as unknown as Params;
      const o = nativeOps(nativeBackend(backend, 'normalKL'));
      // The ops make engine tensors (tfjs-node's outputs); tidy frees all but the result.
      return tf.tidy(() => normalKLTerm(o, p.locP, p.scaleP, p.locQ, p.scaleQ) as tf.Tensor);
    },
  },
  {
    kernelName: NORMAL_KL_GRAD_KERNEL,
    backendName: NATIVE,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const p = inputs as unknown as Params & { dy: tf.TensorInfo };
      const wrt = (attrs as unknown as { wrt: NormalKLInput }).wrt;
      const o = nativeOps(nativeBackend(backend, 'normalKL'));
      return tf.tidy(() => normalKLGradientTerm(o, wrt, p.dy, p.locP, p.scaleP, p.locQ, p.scaleQ) as tf.Tensor);
    },
  },
];

/** Registers the native Normal KL kernels for tensorflow, replacing @vae/math's tfjs-op ones (idempotent). */
export function registerNativeNormalKLKernels(): void {
  for (const kernel of kernels) {
    const existing = tf.getKernel(kernel.kernelName, NATIVE);
    if (existing?.kernelFunc === kernel.kernelFunc) continue;
    if (existing !== undefined) tf.unregisterKernel(kernel.kernelName, NATIVE);
    tf.registerKernel(kernel);
  }
}

/** Unregisters them (@vae/math registers its tfjs-op kernels again on next use) and frees the constants. */
export function unregisterNativeNormalKLKernels(): void {
  for (const kernel of kernels) {
    if (tf.getKernel(kernel.kernelName, NATIVE)?.kernelFunc === kernel.kernelFunc) tf.unregisterKernel(kernel.kernelName, NATIVE);
  }
  for (const [b, table] of constants) for (const info of table.values()) b.disposeData(info.dataId as object, true);
  constants.clear();
}
