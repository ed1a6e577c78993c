// Adam's update of one variable as a single WebAssembly SIMD pass over the tfjs wasm backend's
// memory, registered as the tfjs kernel `FusedAdamUpdate`. tf.train.adam runs about 12 kernels per
// variable (each a pass over memory, plus a fixed cost per kernel); this reads the gradient, value
// and both moments once and writes the three new tensors once, with the same float32 operations
// in the same order, so the results are the same to the bit.
import * as tf from '@tensorflow/tfjs-core';
import { elementwisePass, encodeModule, FunctionBuilder, ValueType } from './wasm-assembler.js';
import { compiledOnce, instantiateWithMemory, registerWasmKernel, wasmBackendInternals, type WasmMemory } from './wasm-internals.js';

/** Name of the kernel registered for the wasm backend by {@link registerFusedAdamKernel}. */
export const FUSED_ADAM_UPDATE = 'FusedAdamUpdate';

type AdamKernel = (...args: number[]) => void;

/**
 * update(g, w, m, v, newW, newM, newV, count, accBeta1, accBeta2; beta1, 1 - beta1, beta2,
 * 1 - beta2, epsilon, -learningRate): addresses in bytes, `count` elements, accBeta1/2 the
 * addresses of the float32 scalars beta^t. Per element, exactly as tfjs's AdamOptimizer:
 *   m' = m beta1 + g (1 - beta1),  v' = v beta2 + g^2 (1 - beta2)
 *   w' = (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + epsilon) * (-learningRate) + w
 * Four elements per step, then a tail of single lanes (loaded into lane 0, stored from lane 0).
 */
function adamKernel(): FunctionBuilder {
  const { i32, f32, v128 } = ValueType;
  const f = new FunctionBuilder('adam', [...new Array(10).fill(i32), ...new Array(6).fill(f32)]);
  const [g, w, m, v, newW, newM, newV, count, accBeta1, accBeta2] = Array.from({ length: 10 }, (_, i) => i);
  const scalars = Array.from({ length: 6 }, (_, i) => 10 + i);
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, negativeRate] = scalars.map(() => f.local(v128));
  const [oneMinusAcc1, oneMinusAcc2] = [f.local(v128), f.local(v128)];
  const [offset, remaining] = [f.local(i32), f.local(i32)];
  const [gv, mv, vv] = [f.local(v128), f.local(v128), f.local(v128)];

  scalars.forEach((param, i) => f.get(param).f32x4('splat').set([beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, negativeRate][i]));
  // tfjs computes 1 - beta^t once per step in float32; so do we.
  f.f32Const(1).get(accBeta1).f32Load().f32Sub().f32x4('splat').set(oneMinusAcc1);
  f.f32Const(1).get(accBeta2).f32Load().f32Sub().f32x4('splat').set(oneMinusAcc2);
  elementwisePass(f, count, offset, remaining, ({ load, store }) => {
    const at = (base: number) => f.get(base).get(offset).i32('add');
    at(g);
    load();
    f.set(gv);
    // m' = m beta1 + g (1 - beta1)
    at(newM);
    at(m);
    load();
    f.get(beta1).f32x4('mul').get(gv).get(oneMinusBeta1).f32x4('mul').f32x4('add').tee(mv);
    store();
    // v' = v beta2 + (g g) (1 - beta2)
    at(newV);
    at(v);
    load();
    f.get(beta2).f32x4('mul').get(gv).get(gv).f32x4('mul').get(oneMinusBeta2).f32x4('mul').f32x4('add').tee(vv);
    store();
    // w' = (m' / (1 - beta1^t)) / (sqrt(v' / (1 - beta2^t)) + epsilon) * (-rate) + w
    at(newW);
    f.get(mv).get(oneMinusAcc1).f32x4('div');
    f.get(vv).get(oneMinusAcc2).f32x4('div').f32x4('sqrt').get(epsilon).f32x4('add');
    f.f32x4('div').get(negativeRate).f32x4('mul');
    at(w);
    load();
    f.f32x4('add');
    store();
  });
  return f;
}

function adamFor(memory: WasmMemory): AdamKernel | null {
  return compiledOnce('adam', memory, () => instantiateWithMemory<{ adam: AdamKernel }>(encodeModule([adamKernel()]), memory)?.adam);
}

/** Attributes of the `FusedAdamUpdate` kernel (the optimizer's hyperparameters). */
export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

function fusedAdamUpdate(args: { inputs: Record<string, tf.TensorInfo>; backend: object; attrs: unknown }): tf.TensorInfo[] {
  const { value, gradient, firstMoment, secondMoment, accBeta1, accBeta2 } = args.inputs;
  const { beta1, beta2, epsilon, learningRate } = args.attrs as FusedAdamAttrs;
  const internals = wasmBackendInternals(args.backend)!;
  const kernel = adamFor(internals.memory)!;
  const outputs = [value, firstMoment, secondMoment].map((t) => internals.makeOutput(t.shape.slice()));
  const { address } = internals;
  kernel(
    address(gradient),
    address(value),
    address(firstMoment),
    address(secondMoment),
    ...outputs.map(address),
    tf.util.sizeFromShape(value.shape),
    address(accBeta1),
    address(accBeta2),
    beta1,
    // tfjs multiplies by the float32 rounding of the float64 difference, not of 1 - fround(beta).
    1 - beta1,
    beta2,
    1 - beta2,
    epsilon,
    -learningRate,
  );
  return outputs;
}

/**
 * Registers the `FusedAdamUpdate` kernel for the current backend if it is tfjs-backend-wasm 4.x
 * and this engine has WebAssembly SIMD; returns whether the kernel is available.
 */
export function registerFusedAdamKernel(): boolean {
  return (
    tf.getBackend() === 'wasm' && registerWasmKernel(FUSED_ADAM_UPDATE, tf.backend(), (memory) => adamFor(memory) !== null, fusedAdamUpdate)
  );
}
