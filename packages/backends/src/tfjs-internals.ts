// The one description of tfjs-node's NodeJSKernelBackend that the native kernels call: it runs any
// TensorFlow op by name through its `binding`, which is not public API. The wasm backend's private
// fields live in wasm-internals.ts; the cpu backend's firstUse flag in @vae/math.
import type * as tf from '@tensorflow/tfjs-core';

/** One attribute of a TensorFlow op, as the binding takes it (`type` is one of the binding's `TF_ATTR_*`). */
export interface NativeAttr {
  name: string;
  type: number;
  value: unknown;
}

/** The parts of tfjs-node's NodeJSKernelBackend used by native-dense.ts and native-adam.ts. */
export interface NativeBackend {
  binding: { TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_ATTR_STRING: number; TF_ATTR_SHAPE: number; TF_FLOAT: number };
  executeSingleOutput(op: string, attrs: NativeAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(op: string, attrs: NativeAttr[], inputs: tf.TensorInfo[], numOutputs: number): tf.Tensor[];
  /** Stores host values as backend data (not an engine tensor: tf.memory() does not count it). */
  write(values: Float32Array, shape: number[], dtype: 'float32'): object;
  /** Frees data made by `write`. */
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The backend as tfjs-node's, after checking that it has the binding and both execute methods.
 * @param backend - the kernel's backend
 * @param caller - who asks, for the error
 * @returns the same object, typed
 */
export function nativeBackend(backend: unknown, caller: string): NativeBackend {
  const b = backend as Partial<NativeBackend>;
  if (typeof b.executeSingleOutput !== 'function' || typeof b.executeMultipleOutputs !== 'function' || b.binding === undefined) {
    throw new Error(`${caller}: the active backend is not tfjs-node's tensorflow backend`);
  }
  return b as NativeBackend;
}
