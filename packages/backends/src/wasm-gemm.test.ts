import { WasmGemm } from './wasm-gemm.js';
import type { WasmMemory } from './wasm-internals.js';

const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => WasmMemory } }).WebAssembly;

// A bump allocator over a fresh memory: the kernels see the same bytes as the Float32Array views.
function arena(pages = 64) {
  const memory = new Memory({ initial: pages });
  let next = 64;
  const put = (values: Float32Array) => {
    const address = next;
    new Float32Array(memory.buffer, address, values.length).set(values);
    next += 4 * values.length + 12; // odd padding: nothing may assume 16-byte alignment
    return address;
  };
  const read = (address: number, length: number) => new Float32Array(memory.buffer, address, length).slice();
  return { memory, put, read };
}

function random(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

// Float64 reference: C(i, j) = sum_k A(i, k) B(k, j) + bias(j), with A and B given by accessors.
function reference(
  m: number,
  n: number,
  k: number,
  a: (i: number, l: number) => number,
  b: (l: number, j: number) => number,
  bias?: Float32Array,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = bias ? bias[j] : 0;
      for (let l = 0; l < k; l++) sum += a(i, l) * b(l, j);
      c[i * n + j] = sum;
    }
  return c;
}

function expectProduct(actual: Float32Array, expected: Float64Array, k: number, label: string) {
  // Each output is a sum of k products of numbers in [-1, 1]: float32 rounding stays below k ulps of 1.
  const tolerance = 2 * k * 2 ** -23 + 1e-7;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  if (!(worst <= tolerance)) throw new Error(`${label}: max error ${worst} > ${tolerance}`);
}

const gemmOrSkip = () => {
  const memoryAndViews = arena();
  const gemm = WasmGemm.compile(memoryAndViews.memory);
  if (!gemm) throw new Error('this Node has no WebAssembly SIMD');
  return { gemm, ...memoryAndViews };
};

describe('WasmGemm', () => {
  // Sizes cover every tile edge: rows below, at and past a 4-row (and 2-row) block, widths of one
  // 4-column vector, one 8-column panel and a panel plus a vector, and k below and past 4.
  const ms = [1, 3, 4, 5, 9];
  const ns = [4, 8, 12, 20];
  const ks = [1, 2, 3, 4, 5, 17];

  it('computes A B, A^T B and A B^T, with and without bias, to float32 rounding', () => {
    const { gemm, put, read } = gemmOrSkip();
    let seed = 1;
    for (const m of ms)
      for (const n of ns)
        for (const k of ks)
          for (const mode of ['plain', 'transposedA', 'transposedB'] as const)
            for (const withBias of [false, true]) {
              const aValues = random(m * k, seed++);
              const bValues = random(k * n, seed++);
              const biasValues = random(n, seed++);
              // plain and transposedB: A is [m, k]; transposedA: A is stored as [k, m].
              const aAt =
                mode === 'transposedA' ? (i: number, l: number) => aValues[l * m + i] : (i: number, l: number) => aValues[i * k + l];
              // transposedB: B is stored as [n, k].
              const bAt =
                mode === 'transposedB' ? (l: number, j: number) => bValues[j * k + l] : (l: number, j: number) => bValues[l * n + j];
              const c = put(new Float32Array(m * n).fill(NaN));
              gemm.multiply({
                a: put(aValues),
                aRowStride: mode === 'transposedA' ? 1 : k,
                aColStride: mode === 'transposedA' ? m : 1,
                b: put(bValues),
                bTransposed: mode === 'transposedB',
                c,
                m,
                n,
                k,
                bias: withBias ? put(biasValues) : 0,
              });
              expectProduct(
                read(c, m * n),
                reference(m, n, k, aAt, bAt, withBias ? biasValues : undefined),
                k,
                `${mode} m=${m} n=${n} k=${k} bias=${withBias}`,
              );
            }
  });

  it('sums over k in order for A B, so results equal a sequential float32 loop exactly', () => {
    const { gemm, put, read } = gemmOrSkip();
    const [m, n, k] = [6, 12, 300];
    const a = random(m * k, 7).map((x) => x * 1e3);
    const b = random(k * n, 8);
    const c = put(new Float32Array(m * n));
    gemm.multiply({ a: put(a), aRowStride: k, aColStride: 1, b: put(b), bTransposed: false, c, m, n, k, bias: 0 });
    const sequential = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let l = 0; l < k; l++) sum = Math.fround(sum + Math.fround(a[i * k + l] * b[l * n + j]));
        sequential[i * n + j] = sum;
      }
    expect(Array.from(read(c, m * n))).toEqual(Array.from(sequential));
  });

  it('refuses sizes it cannot compute and A B^T with a transposed A', () => {
    const { gemm } = gemmOrSkip();
    expect(WasmGemm.supports(3, 6, 2)).toBe(false);
    expect(WasmGemm.supports(3, 8, 0)).toBe(false);
    expect(WasmGemm.supports(3, 8, 2)).toBe(true);
    const base = { a: 64, aRowStride: 1, aColStride: 3, b: 64, bTransposed: true, c: 64, m: 3, n: 4, k: 2, bias: 0 };
    expect(() => gemm.multiply(base)).toThrow(/contiguous along k/);
    expect(() => gemm.multiply({ ...base, aColStride: 1, n: 6 })).toThrow(/unsupported sizes/);
  });
});
