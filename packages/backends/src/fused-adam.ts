import * as tf from '@tensorflow/tfjs-core';
import { NATIVE_ADAM_UPDATE, NativeAdamSlots, registerNativeAdamKernel, type NativeAdamInputs } from './native-adam.js';
import { FUSED_ADAM_UPDATE, registerFusedAdamKernel, type FusedAdamAttrs } from './wasm-adam.js';

// tfjs-core 4.x AdamOptimizer's state, private in its typings. The subclass keeps the same fields,
// so getWeights/setWeights, serialization and checkpoints behave exactly as tf.train.adam's.
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/**
 * Adam that updates each variable with one fused kernel on the wasm and tensorflow backends, and is
 * `tf.train.adam` everywhere else.
 *
 * @remarks
 * The update is tfjs's own: m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
 * w ← w − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). `tf.train.adam` spends about 12 kernels per
 * variable on it, each a pass over memory with a fixed cost; on the wasm backend this class runs
 * one WebAssembly SIMD pass per variable that reads g, w, m and v once and writes the new w, m and
 * v, with the same float32 operations in the same order, so values are identical to the bit.
 * For the seeds' VAE (16 variables, 440k weights) that is 2 ms instead of 8 ms per step. On
 * tfjs-node's tensorflow backend it keeps each variable's weights and moments also as TensorFlow
 * resource variables and runs TensorFlow's `ResourceApplyAdam` on them, one in-place pass per
 * variable; TensorFlow folds the bias corrections into the step size, so values agree with
 * `tf.train.adam` to float32 rounding rather than to the bit. On other backends, or when the wasm
 * backend's internals are not the expected ones, it runs `tf.train.adam`'s code. It is a subclass
 * of `tf.AdamOptimizer`: state, `getWeights`, `setWeights`, `getConfig` and the class name `'Adam'`
 * are unchanged.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FusedAdamOptimizer } from '@vae/backends';
 *
 * tf.tidy(() => {
 *   const w = tf.variable(tf.tensor1d([1, 2]));
 *   const optimizer = new FusedAdamOptimizer(0.1, 0.9, 0.999);
 *   optimizer.minimize(() => tf.sum(tf.square(w)));
 *   console.log(Array.from(w.dataSync()).map((x) => +x.toFixed(3))); // [0.9, 1.9]
 *   optimizer.dispose();
 *   w.dispose();
 * });
 * ```
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /**
   * Applies one Adam step to the named variables.
   *
   * @param variableGradients - gradients by variable name, or a list of `{ name, tensor }`; the
   * optimizer's moments follow the list's order, as in `tf.train.adam`
   */
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    if (tf.getBackend() === 'tensorflow' && list.every(({ tensor }) => !tensor || tensor.dtype === 'float32')) {
      registerNativeAdamKernel();
      this.applyNative(list);
      return;
    }
    if (!registerFusedAdamKernel() || list.some(({ tensor }) => tensor && tensor.dtype !== 'float32')) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const attrs: FusedAdamAttrs = { beta1: state.beta1, beta2: state.beta2, epsilon: state.epsilon, learningRate: state.learningRate };
    const engine = tf.engine();
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = engine.registeredVariables[name];
        // Created on first use and indexed by position, as tf.train.adam does.
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const firstMoment = state.accumulatedFirstMoment[i]!.variable;
        const secondMoment = state.accumulatedSecondMoment[i]!.variable;
        const inputs = { value, gradient, firstMoment, secondMoment, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
        const [newValue, newFirstMoment, newSecondMoment] = engine.runKernel(
          FUSED_ADAM_UPDATE,
          inputs,
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
        firstMoment.assign(newFirstMoment);
        secondMoment.assign(newSecondMoment);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
    });
    this.incrementIterations();
  }

  /**
   * On tensorflow, each updated variable's weights and moments as TensorFlow resource variables
   * (the moments' source of truth between steps; {@link syncMoments} copies them to the
   * per-variable moments), with the storage the tfjs variable held when this optimizer last wrote
   * it: a variable assigned by anyone else since is written to its resource again.
   */
  private native = new Map<number, { name: string; slots: NativeAdamSlots; dataId: unknown }>();

  /** The constant scalar operands of the tensorflow update, made once (each new scalar is an upload). */
  private scalars: { key: string; learningRate: tf.Scalar; beta1: tf.Scalar; beta2: tf.Scalar } | undefined;

  /**
   * TensorFlow's `ResourceApplyAdam` per variable, for backends where each kernel is a round trip
   * with a fixed cost (tfjs-node): one pass that updates the weights and both moments in place,
   * and a read of the new weights, instead of about 14 elementwise kernels per variable (or per
   * concatenation of all of them). TensorFlow computes
   * w -= lr sqrt(1 - β₂ᵗ) / (1 - β₁ᵗ) m / (√v + ε'), which is tfjs's
   * w -= lr (m / (1 - β₁ᵗ)) / (√(v / (1 - β₂ᵗ)) + ε) with ε' = ε sqrt(1 - β₂ᵗ): the same update,
   * rounded differently (a few float32 ulps per step).
   */
  private applyNative(list: { name: string; tensor: tf.Tensor | null | undefined }[]): void {
    const state = this as unknown as AdamState;
    const engine = tf.engine();
    const key = `${state.learningRate},${state.beta1},${state.beta2}`;
    if (this.scalars?.key !== key) {
      if (this.scalars !== undefined) tf.dispose([this.scalars.learningRate, this.scalars.beta1, this.scalars.beta2]);
      this.scalars = {
        key,
        learningRate: tf.keep(tf.scalar(state.learningRate)),
        beta1: tf.keep(tf.scalar(state.beta1)),
        beta2: tf.keep(tf.scalar(state.beta2)),
      };
    }
    const k = this.scalars;
    const dataId = (t: tf.Tensor) => (t as unknown as { dataId: unknown }).dataId;
    tf.tidy(() => {
      // β₂ᵗ for this step (accBeta2 holds it on the device; the host's power is for ε' only).
      const epsilon = tf.scalar(state.epsilon * Math.sqrt(1 - Math.pow(state.beta2, this.iterations + 1)));
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = engine.registeredVariables[name];
        // Created on first use and indexed by position, as tf.train.adam does.
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        let entry = this.native.get(i);
        if (entry !== undefined && entry.name !== name) {
          this.syncMoments(i);
          entry.slots.dispose();
          this.native.delete(i);
          entry = undefined;
        }
        if (entry === undefined) {
          const slots = new NativeAdamSlots(value, state.accumulatedFirstMoment[i]!.variable, state.accumulatedSecondMoment[i]!.variable);
          entry = { name, slots, dataId: dataId(value) };
          this.native.set(i, entry);
        } else if (entry.dataId !== dataId(value)) {
          entry.slots.write('value', value);
        }
        const inputs: NativeAdamInputs = {
          value: entry.slots.value,
          firstMoment: entry.slots.firstMoment,
          secondMoment: entry.slots.secondMoment,
          beta1Power: state.accBeta1,
          beta2Power: state.accBeta2,
          learningRate: k.learningRate,
          beta1: k.beta1,
          beta2: k.beta2,
          epsilon,
          gradient,
        };
        const updated = engine.runKernel(NATIVE_ADAM_UPDATE, inputs) as tf.Tensor;
        value.assign(updated);
        entry.dataId = dataId(value);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, k.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, k.beta2));
    });
    this.incrementIterations();
  }

  /** Copies the resource moments (of one variable, or all) to the per-variable moments. */
  private syncMoments(only?: number): void {
    const state = this as unknown as AdamState;
    for (const [i, entry] of this.native) {
      if (only !== undefined && i !== only) continue;
      tf.tidy(() => {
        state.accumulatedFirstMoment[i]?.variable.assign(entry.slots.read('firstMoment'));
        state.accumulatedSecondMoment[i]?.variable.assign(entry.slots.read('secondMoment'));
      });
    }
  }

  /** Destroys the resource variables (after {@link syncMoments} where their moments matter). */
  private dropNative(): void {
    for (const entry of this.native.values()) entry.slots.dispose();
    this.native.clear();
  }

  /** The optimizer's state as tf.train.adam lays it out: iterations, then every m, then every v. */
  override async getWeights(): ReturnType<tf.AdamOptimizer['getWeights']> {
    this.syncMoments();
    return super.getWeights();
  }

  /** Restores state saved by {@link getWeights} (or by tf.train.adam). */
  override async setWeights(weightValues: Parameters<tf.AdamOptimizer['setWeights']>[0]): Promise<void> {
    this.dropNative();
    return super.setWeights(weightValues);
  }

  /** Disposes the moments, TensorFlow's resource variables included. */
  override dispose(): void {
    this.dropNative();
    if (this.scalars !== undefined) tf.dispose([this.scalars.learningRate, this.scalars.beta1, this.scalars.beta2]);
    this.scalars = undefined;
    super.dispose();
  }
}

/**
 * Creates a {@link FusedAdamOptimizer}: `tf.train.adam` with a one-kernel update per variable on
 * the wasm backend.
 *
 * @param learningRate - step size η (default 0.001)
 * @param beta1 - decay of the first moment (default 0.9)
 * @param beta2 - decay of the second moment (default 0.999)
 * @param epsilon - added to √v̂ (default: the backend's epsilon, 1e-7 for float32)
 * @returns the optimizer
 *
 * @example
 * ```ts
 * import { fusedAdam } from '@vae/backends';
 * const optimizer = fusedAdam(3e-4);
 * console.log(optimizer.getClassName()); // 'Adam'
 * optimizer.dispose();
 * ```
 */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon as number);
}
