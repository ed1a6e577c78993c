// Single-precision matrix products as WebAssembly SIMD kernels that read their operands in place
// (no packing), generated at run time with wasm-assembler.ts and run on the memory of the tfjs
// wasm backend.
//
// Why our own kernels: tfjs-backend-wasm hands the right operand of every product to XNNPACK as the
// weights of a fully connected operator, which packs (copies and reorders) them before the
// arithmetic and caches the packing per tensor. In training every weight and every gradient is a
// fresh tensor, so every product pays the packing again: about 2 ms of a 4.6 ms product for
// [128, 784] x [784, 256]. These kernels do the same arithmetic in the same summation order with
// no packing (about 2.5 ms for that product), and take a transposed left operand at no extra cost.
import { encodeModule, FunctionBuilder, ValueType } from './wasm-assembler.js';
import { instantiateWithMemory, type WasmMemory } from './wasm-internals.js';

const { i32, v128 } = ValueType;

const BYTES = 4;

// Register tiles. V8 gives wasm SIMD 16 vector registers on x64: a 4 x 8 tile of C is 8
// accumulators plus 2 vectors of B and 1 broadcast of A, leaving room for the allocator. Larger
// tiles (6 x 8, 4 x 12) measured slower, smaller ones reload B too often.
const ROWS = 4;
const VECTORS = 2;
const DOT_ROWS = 2;

/**
 * Emits pointers[0] = base and pointers[i] = pointers[i - 1] + stride: the start of each row (or
 * column block) a kernel walks. All are i32 locals of `f`; the stride is in bytes.
 */
function stridedPointers(f: FunctionBuilder, base: number, stride: number, pointers: readonly number[]): void {
  f.get(base).set(pointers[0]);
  for (let i = 1; i < pointers.length; i++)
    f.get(pointers[i - 1])
      .get(stride)
      .i32('add')
      .set(pointers[i]);
}

/**
 * C[rows, 4 * vectors] = A B (+ bias) for `rowBlocks` blocks of `rows` rows, where B is row-major
 * with row stride `ldb` and A(i, k) sits at `a + i * sai + k * sak` (so a transposed A costs
 * nothing). All strides and addresses are in bytes. The k loop is innermost and walks down a
 * 4 * vectors wide panel of B, which stays in the L1 cache while the row blocks go by; each step
 * broadcasts one element of A per row and accumulates A(i, k) * B(k, j..j+3) into its lanes, which
 * sums over k in order, exactly as XNNPACK's kernels do.
 */
function broadcastKernel(rows: number, vectors: number): FunctionBuilder {
  const f = new FunctionBuilder(`broadcast_${rows}x${vectors}`, new Array(10).fill(i32));
  const [a, sai, sak, b, ldb, c, ldc, rowBlocks, depth, bias] = Array.from({ length: 10 }, (_, i) => i);
  const rowPointers = Array.from({ length: rows }, () => f.local(i32));
  const [pb, k, block, pc] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32)];
  const acc = Array.from({ length: rows }, () => Array.from({ length: vectors }, () => f.local(v128)));
  const bRow = Array.from({ length: vectors }, () => f.local(v128));
  const aBroadcast = f.local(v128);

  f.i32Const(0).set(block);
  f.block().loop();
  f.get(block).get(rowBlocks).i32('ge_u').brIf(1);
  // Accumulators start at the bias row, or zero.
  f.get(bias).if();
  for (const row of acc)
    row.forEach((r, v) =>
      f
        .get(bias)
        .v128Load(16 * v)
        .set(r),
    );
  f.else();
  for (const row of acc) row.forEach((r) => f.v128Zero().set(r));
  f.end();
  stridedPointers(f, a, sai, rowPointers);
  f.get(b).set(pb).get(depth).set(k);
  f.loop();
  bRow.forEach((register, v) =>
    f
      .get(pb)
      .v128Load(16 * v)
      .set(register),
  );
  for (let r = 0; r < rows; r++) {
    f.get(rowPointers[r]).v128Load32Splat().set(aBroadcast);
    for (let v = 0; v < vectors; v++) f.get(acc[r][v]).get(aBroadcast).get(bRow[v]).f32x4('mul').f32x4('add').set(acc[r][v]);
  }
  for (const pointer of rowPointers) f.increment(pointer, sak);
  f.increment(pb, ldb);
  f.get(k).i32Const(1).i32('sub').tee(k).brIf(0);
  f.end();
  f.get(c).set(pc);
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < vectors; v++)
      f.get(pc)
        .get(acc[r][v])
        .v128Store(16 * v);
    f.increment(pc, ldc);
  }
  f.get(pc).set(c);
  f.get(a).get(sai).i32Const(rows).i32('mul').i32('add').set(a);
  f.get(block).i32Const(1).i32('add').set(block);
  f.br(0);
  f.end().end();
  return f;
}

/**
 * C[rows, 4] = A B^T (+ bias) for `rowBlocks` blocks of `rows` rows, where A and B are both
 * row-major along k (row strides `lda`, `ldb`, in bytes): every output is a dot product of two
 * contiguous rows. Four lanes of each product accumulate k = 0, 4, 8, ... / 1, 5, 9, ... separately
 * (a k % 4 tail loads one float into lane 0), and the four lanes of the four columns are summed at
 * the end by two rounds of lane shuffles, which also leaves the four columns in one vector.
 */
function dotKernel(rows: number): FunctionBuilder {
  const f = new FunctionBuilder(`dot_${rows}x4`, new Array(9).fill(i32));
  const [a, lda, b, ldb, c, ldc, rowBlocks, depth, bias] = Array.from({ length: 9 }, (_, i) => i);
  const aPointers = Array.from({ length: rows }, () => f.local(i32));
  const bPointers = Array.from({ length: 4 }, () => f.local(i32));
  const [k, block, pc] = [f.local(i32), f.local(i32), f.local(i32)];
  const acc = Array.from({ length: rows }, () => Array.from({ length: 4 }, () => f.local(v128)));
  const aRow = Array.from({ length: rows }, () => f.local(v128));
  const bRow = f.local(v128);
  const [low, high] = [f.local(v128), f.local(v128)];

  const step = (load: (offset: number) => void, advance: number) => {
    for (let r = 0; r < rows; r++) {
      f.get(aPointers[r]);
      load(0);
      f.set(aRow[r]);
    }
    for (let s = 0; s < 4; s++) {
      f.get(bPointers[s]);
      load(0);
      f.set(bRow);
      for (let r = 0; r < rows; r++) f.get(acc[r][s]).get(aRow[r]).get(bRow).f32x4('mul').f32x4('add').set(acc[r][s]);
    }
    for (const pointer of [...aPointers, ...bPointers]) f.get(pointer).i32Const(advance).i32('add').set(pointer);
  };
  const kLoop = (count: () => void, load: (offset: number) => void, advance: number) => f.repeat(k, count, () => step(load, advance));

  f.i32Const(0).set(block);
  f.block().loop();
  f.get(block).get(rowBlocks).i32('ge_u').brIf(1);
  for (const row of acc) row.forEach((r) => f.v128Zero().set(r));
  stridedPointers(f, a, lda, aPointers);
  stridedPointers(f, b, ldb, bPointers);
  kLoop(
    () => f.get(depth).i32Const(2).i32('shr_u'),
    (o) => f.v128Load(o),
    16,
  );
  kLoop(
    () => f.get(depth).i32Const(3).i32('and'),
    (o) => f.v128Load32Zero(o),
    4,
  );
  f.get(c).set(pc);
  for (let r = 0; r < rows; r++) {
    const [s0, s1, s2, s3] = acc[r];
    // [x0 y0 x1 y1] + [x2 y2 x3 y3] = pairwise sums of columns 0 and 1; likewise for 2 and 3.
    f.get(s0).get(s1).shuffleLanes([0, 4, 1, 5]).get(s0).get(s1).shuffleLanes([2, 6, 3, 7]).f32x4('add').set(low);
    f.get(s2).get(s3).shuffleLanes([0, 4, 1, 5]).get(s2).get(s3).shuffleLanes([2, 6, 3, 7]).f32x4('add').set(high);
    f.get(low).get(high).shuffleLanes([0, 1, 4, 5]).get(low).get(high).shuffleLanes([2, 3, 6, 7]).f32x4('add').set(low);
    f.get(bias).if().get(low).get(bias).v128Load().f32x4('add').set(low).end();
    f.get(pc).get(low).v128Store();
    f.increment(pc, ldc);
  }
  f.get(c).get(ldc).i32Const(rows).i32('mul').i32('add').set(c);
  f.get(a).get(lda).i32Const(rows).i32('mul').i32('add').set(a);
  f.get(block).i32Const(1).i32('add').set(block);
  f.br(0);
  f.end().end();
  return f;
}

/** Where the operands of one product C = A B or C = A B^T live in the kernels' memory. */
export interface GemmOperands {
  /** Byte address of A. */
  a: number;
  /** Elements between A(i, k) and A(i + 1, k): the row length for a row-major A, 1 for a transposed one. */
  aRowStride: number;
  /** Elements between A(i, k) and A(i, k + 1). Must be 1 when `bTransposed`. */
  aColStride: number;
  /** Byte address of B: row-major [k, n], or [n, k] when `bTransposed`. */
  b: number;
  bTransposed: boolean;
  /** Byte address of C, row-major [m, n]; every element is written. */
  c: number;
  m: number;
  n: number;
  k: number;
  /** Byte address of n floats added to every row of C, or 0 for none. */
  bias: number;
}

/** Runs the generated kernels on one WebAssembly memory. */
export class WasmGemm {
  private constructor(private readonly kernels: Record<string, (...args: number[]) => void>) {}

  /**
   * Compiles the kernels against `memory`, or returns undefined when this engine has no
   * WebAssembly SIMD (the caller then keeps the backend's own kernels).
   */
  static compile(memory: WasmMemory): WasmGemm | undefined {
    const functions = [
      broadcastKernel(ROWS, VECTORS),
      broadcastKernel(1, VECTORS),
      broadcastKernel(ROWS, 1),
      broadcastKernel(1, 1),
      dotKernel(DOT_ROWS),
      dotKernel(1),
    ];
    const kernels = instantiateWithMemory<Record<string, (...args: number[]) => void>>(encodeModule(functions), memory);
    return kernels && new WasmGemm(kernels);
  }

  /** Whether the kernels can compute a product with these sizes (the rest go to the backend). */
  static supports(m: number, n: number, k: number): boolean {
    return m > 0 && k > 0 && n > 0 && n % 4 === 0;
  }

  /** Computes C = A B (+ bias) or C = A B^T (+ bias); see {@link GemmOperands}. */
  multiply(p: GemmOperands): void {
    if (!WasmGemm.supports(p.m, p.n, p.k)) throw new Error(`WasmGemm: unsupported sizes m=${p.m} n=${p.n} k=${p.k}`);
    if (p.bTransposed) this.multiplyTransposed(p);
    else this.multiplyPlain(p);
  }

  private multiplyPlain(p: GemmOperands): void {
    const sai = BYTES * p.aRowStride;
    const sak = BYTES * p.aColStride;
    const ldb = BYTES * p.n;
    const ldc = BYTES * p.n;
    // Column panels outermost, so one panel of B is reused by every row block while it is cached.
    const panel = (column: number, vectors: number) => {
      const b = p.b + BYTES * column;
      const c = p.c + BYTES * column;
      const bias = p.bias ? p.bias + BYTES * column : 0;
      const blocks = Math.floor(p.m / ROWS);
      const done = blocks * ROWS;
      if (blocks) this.kernels[`broadcast_${ROWS}x${vectors}`](p.a, sai, sak, b, ldb, c, ldc, blocks, p.k, bias);
      if (done < p.m)
        this.kernels[`broadcast_1x${vectors}`](p.a + done * sai, sai, sak, b, ldb, c + done * ldc, ldc, p.m - done, p.k, bias);
    };
    const width = 4 * VECTORS;
    let column = 0;
    for (; column + width <= p.n; column += width) panel(column, VECTORS);
    for (; column < p.n; column += 4) panel(column, 1);
  }

  private multiplyTransposed(p: GemmOperands): void {
    if (p.aColStride !== 1) throw new Error('WasmGemm: A B^T needs A contiguous along k');
    const lda = BYTES * p.aRowStride;
    const ldb = BYTES * p.k;
    const ldc = BYTES * p.n;
    const blocks = Math.floor(p.m / DOT_ROWS);
    const done = blocks * DOT_ROWS;
    for (let column = 0; column < p.n; column += 4) {
      const b = p.b + column * ldb;
      const c = p.c + BYTES * column;
      const bias = p.bias ? p.bias + BYTES * column : 0;
      if (blocks) this.kernels[`dot_${DOT_ROWS}x4`](p.a, lda, b, ldb, c, ldc, blocks, p.k, bias);
      if (done < p.m) this.kernels.dot_1x4(p.a + done * lda, lda, b, ldb, c + done * ldc, ldc, p.m - done, p.k, bias);
    }
  }
}
