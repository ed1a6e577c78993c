// softplus(x) = log(1 + exp(x)) to float32 accuracy as one WebAssembly SIMD pass, registered for
// the wasm backend as the kernel `AccurateSoftplus`, which @vae/math's `softplus` uses when it is
// registered. Without it, @vae/math computes softplus on wasm from about twenty tfjs kernels (the
// backend's own Softplus and Log1p are scalar loops, and its log1p is not accurate near 0).
import * as tf from '@tensorflow/tfjs-core';
import { ACCURATE_SOFTPLUS_KERNEL } from '@vae/math';
import { elementwisePass, encodeModule, FunctionBuilder, ValueType } from './wasm-assembler.js';
import { compiledOnce, instantiateWithMemory, registerWasmKernel, wasmBackendInternals, type WasmMemory } from './wasm-internals.js';

/** The kernel's name: @vae/math's `ACCURATE_SOFTPLUS_KERNEL` (its one owner), which `softplus` looks up. */
export const ACCURATE_SOFTPLUS = ACCURATE_SOFTPLUS_KERNEL;

// exp on [-ln 2 / 2, ln 2 / 2]: 1 + y + y^2 P(y), the polynomial of Cephes' expf (about 1 ulp).
const EXP_POLYNOMIAL = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
// ln 2 = LN2_HIGH + LN2_LOW, LN2_HIGH with few significant bits so n * LN2_HIGH is exact (Cody-Waite).
const LN2_HIGH = 0.693359375;
const LN2_LOW = -2.1219444e-4;
// log1p(e) = 2 atanh(t), t = e / (2 + e) <= 1/3: t times a series in t^2, as in @vae/math.
const TWO_ATANH_OVER_T = [2, 2 / 3, 2 / 5, 2 / 7, 2 / 9, 2 / 11, 2 / 13];
// exp(-104) is below half the smallest float32 subnormal: clamping |x| there keeps n small.
const LARGEST_USEFUL_ABS = 104;

/**
 * softplus(x, out, count): out = max(x, 0) + log1p(exp(-|x|)) for `count` floats. exp(-a) is
 * 2^-n exp(-r) with n = round(a / ln 2), r = a - n ln 2 in two parts, the 2^-n applied as two
 * powers of two built from exponent bits (each at least 2^-75, so both are normal floats and
 * subnormal results come out right). Then log1p(e) = t * (2 + 2t^2/3 + ...), t = e / (2 + e).
 */
function softplusKernel(): FunctionBuilder {
  const { i32, v128 } = ValueType;
  const f = new FunctionBuilder('softplus', [i32, i32, i32]);
  const [input, output, count] = [0, 1, 2];
  const [offset, remaining] = [f.local(i32), f.local(i32)];
  const [x, a, n, y, p, powers, e, t] = Array.from({ length: 8 }, () => f.local(v128));
  const constant = (value: number) => f.f32Const(value).f32x4('splat');

  elementwisePass(f, count, offset, remaining, ({ load, store }) => {
    f.get(input).get(offset).i32('add');
    load();
    f.tee(x).f32x4('abs');
    constant(LARGEST_USEFUL_ABS).f32x4('min').set(a);
    f.get(a);
    constant(Math.LOG2E).f32x4('mul').f32x4('nearest').set(n);
    // y = -(a - n ln 2) = (n LN2_HIGH - a) + n LN2_LOW
    f.get(n);
    constant(LN2_HIGH).f32x4('mul').get(a).f32x4('sub').get(n);
    constant(LN2_LOW).f32x4('mul').f32x4('add').set(y);
    constant(EXP_POLYNOMIAL[0]);
    for (const c of EXP_POLYNOMIAL.slice(1)) {
      f.get(y).f32x4('mul');
      constant(c).f32x4('add');
    }
    // exp(y) = y^2 P(y) + y + 1
    f.get(y).get(y).f32x4('mul').f32x4('mul').get(y).f32x4('add');
    constant(1).f32x4('add').set(p);
    // 2^-n = 2^-(n >> 1) * 2^-(n - (n >> 1)); the bits of 2^-k are (127 - k) << 23.
    f.get(n).i32x4('trunc_sat_f32x4_s').set(powers);
    const powerOfTwo = (exponent: () => void) => {
      f.i32Const(127).i32x4('splat');
      exponent();
      f.i32x4('sub').i32Const(23).i32x4('shl');
    };
    f.get(p);
    powerOfTwo(() => f.get(powers).i32Const(1).i32x4('shr_s'));
    f.f32x4('mul');
    powerOfTwo(() => f.get(powers).get(powers).i32Const(1).i32x4('shr_s').i32x4('sub'));
    f.f32x4('mul').set(e);
    // t = e / (2 + e); log1p(e) = t * series(t^2)
    f.get(e);
    constant(2).get(e).f32x4('add').f32x4('div').set(t);
    f.get(output).get(offset).i32('add');
    f.get(x);
    constant(0).f32x4('max');
    constant(TWO_ATANH_OVER_T[TWO_ATANH_OVER_T.length - 1]);
    for (const c of TWO_ATANH_OVER_T.slice(0, -1).reverse()) {
      f.get(t).get(t).f32x4('mul').f32x4('mul');
      constant(c).f32x4('add');
    }
    f.get(t).f32x4('mul').f32x4('add');
    store();
  });
  return f;
}

type SoftplusKernel = (input: number, output: number, count: number) => void;
function softplusFor(memory: WasmMemory): SoftplusKernel | null {
  return compiledOnce(
    'softplus',
    memory,
    () => instantiateWithMemory<{ softplus: SoftplusKernel }>(encodeModule([softplusKernel()]), memory)?.softplus,
  );
}

function accurateSoftplus(args: { inputs: Record<string, tf.TensorInfo>; backend: object }): tf.TensorInfo {
  const { x } = args.inputs;
  if (x.dtype !== 'float32') throw new Error(`${ACCURATE_SOFTPLUS}: x must be float32, got ${x.dtype}`);
  const internals = wasmBackendInternals(args.backend)!;
  const out = internals.makeOutput(x.shape.slice());
  softplusFor(internals.memory)!(internals.address(x), internals.address(out), tf.util.sizeFromShape(x.shape));
  return out;
}

/**
 * Registers the `AccurateSoftplus` kernel for the wasm backend if `backend` (the initialized wasm
 * backend) is tfjs-backend-wasm 4.x and this engine has WebAssembly SIMD; returns whether it is
 * registered.
 */
export function registerAccurateSoftplusKernel(backend: object): boolean {
  return registerWasmKernel(ACCURATE_SOFTPLUS, backend, (memory) => softplusFor(memory) !== null, accurateSoftplus);
}

/** Removes the `AccurateSoftplus` kernel (undoes {@link registerAccurateSoftplusKernel}). */
export function unregisterAccurateSoftplusKernel(): void {
  if (tf.getKernel(ACCURATE_SOFTPLUS, 'wasm')) tf.unregisterKernel(ACCURATE_SOFTPLUS, 'wasm');
}
