import * as tf from '@tensorflow/tfjs-core';
import { nativeBackend, type NativeBackend } from './tfjs-internals.js';

// Registered for the tensorflow backend only, by enableNativeKernels.
export const NATIVE_ADAM_UPDATE = 'VaeNativeAdamUpdate';
const NATIVE = 'tensorflow';

const native = (backend: unknown): NativeBackend => nativeBackend(backend, 'fusedAdam');

const dtypeAttr = (b: NativeBackend, name: string) => ({ name, type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT });

/**
 * The inputs of the update kernel: the variable, its two moments (TensorFlow resource handles made
 * by {@link NativeAdamSlots}), the scalars of TensorFlow's ApplyAdam and the gradient.
 */
export interface NativeAdamInputs extends tf.NamedTensorMap {
  value: tf.Tensor;
  firstMoment: tf.Tensor;
  secondMoment: tf.Tensor;
  beta1Power: tf.Tensor;
  beta2Power: tf.Tensor;
  learningRate: tf.Tensor;
  beta1: tf.Tensor;
  beta2: tf.Tensor;
  epsilon: tf.Tensor;
  gradient: tf.Tensor;
}

let anonymous = 0;
// Tells apart two copies of this module loaded into one process (they share TensorFlow's context).
const RUN = Math.random().toString(36).slice(2);

/**
 * One variable's weights and Adam moments held as TensorFlow resource variables, so TensorFlow's
 * `ResourceApplyAdam` can update all three in place in one pass.
 */
export class NativeAdamSlots {
  readonly value: tf.Tensor;
  readonly firstMoment: tf.Tensor;
  readonly secondMoment: tf.Tensor;

  /** Creates the three resources and writes `value`, `m` and `v` into them. */
  constructor(value: tf.Tensor, m: tf.Tensor, v: tf.Tensor) {
    const b = native(tf.backend());
    // A fresh shared name per resource (TensorFlow's eager variables use anonymous names the same way).
    // Kept: the optimizer makes them inside its step's tidy and holds them across steps.
    const handle = (): tf.Tensor =>
      tf.keep(
        b.executeSingleOutput(
          'VarHandleOp',
          [
            { name: 'container', type: b.binding.TF_ATTR_STRING, value: '' },
            { name: 'shared_name', type: b.binding.TF_ATTR_STRING, value: `vae-adam-${RUN}-${anonymous++}` },
            dtypeAttr(b, 'dtype'),
            { name: 'shape', type: b.binding.TF_ATTR_SHAPE, value: value.shape },
          ],
          [],
        ),
      );
    this.value = handle();
    this.firstMoment = handle();
    this.secondMoment = handle();
    this.write('value', value);
    this.write('firstMoment', m);
    this.write('secondMoment', v);
  }

  /** Overwrites one of the three resources. */
  write(which: 'value' | 'firstMoment' | 'secondMoment', t: tf.Tensor): void {
    const b = native(tf.backend());
    b.executeMultipleOutputs('AssignVariableOp', [dtypeAttr(b, 'dtype')], [this[which], t], 0);
  }

  /** The current contents of one of the three resources, as a new tensor. */
  read(which: 'value' | 'firstMoment' | 'secondMoment'): tf.Tensor {
    const b = native(tf.backend());
    return b.executeSingleOutput('ReadVariableOp', [dtypeAttr(b, 'dtype')], [this[which]]);
  }

  /** Destroys the resources (their memory is TensorFlow's, not the handles'). */
  dispose(): void {
    const b = native(tf.backend());
    for (const h of [this.value, this.firstMoment, this.secondMoment]) {
      b.executeMultipleOutputs('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: b.binding.TF_ATTR_BOOL, value: true }], [h], 0);
      h.dispose();
    }
  }
}

const adamKernel: tf.KernelConfig = {
  kernelName: NATIVE_ADAM_UPDATE,
  backendName: NATIVE,
  kernelFunc: ({ inputs, backend }) => {
    const b = native(backend);
    const x = inputs as unknown as NativeAdamInputs;
    b.executeMultipleOutputs(
      'ResourceApplyAdam',
      [
        dtypeAttr(b, 'T'),
        { name: 'use_locking', type: b.binding.TF_ATTR_BOOL, value: false },
        { name: 'use_nesterov', type: b.binding.TF_ATTR_BOOL, value: false },
      ],
      [x.value, x.firstMoment, x.secondMoment, x.beta1Power, x.beta2Power, x.learningRate, x.beta1, x.beta2, x.epsilon, x.gradient],
      0,
    );
    return b.executeSingleOutput('ReadVariableOp', [dtypeAttr(b, 'dtype')], [x.value]);
  },
};

/** Registers the Adam update kernel for tensorflow (idempotent). */
export function registerNativeAdamKernel(): void {
  if (tf.getKernel(NATIVE_ADAM_UPDATE, NATIVE) === undefined) tf.registerKernel(adamKernel);
}

/** Unregisters it. */
export function unregisterNativeAdamKernel(): void {
  if (tf.getKernel(NATIVE_ADAM_UPDATE, NATIVE) !== undefined) tf.unregisterKernel(NATIVE_ADAM_UPDATE, NATIVE);
}
