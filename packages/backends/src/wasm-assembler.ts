// A minimal WebAssembly binary writer: just enough of the format (i32 arithmetic, structured
// loops, 128-bit SIMD loads, stores and float lanes) to generate the matrix-product kernels in
// wasm-gemm.ts at run time. Generating the bytes in TypeScript keeps the package free of a
// compiler toolchain and of committed binaries; the instruction encodings follow the WebAssembly
// core specification (https://webassembly.github.io/spec/core/binary/) and its SIMD proposal.

/** Value types of the functions we generate. */
export const ValueType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
type ValueTypeCode = (typeof ValueType)[keyof typeof ValueType];

/** The unsigned LEB128 encoding of a 32-bit value (indices, sizes, counts). */
export function unsignedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

/** The signed LEB128 encoding of an i32 (the immediate of `i32.const`). */
export function signedLeb128(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

// Names are ASCII identifiers, whose UTF-8 bytes are their character codes.
function name(text: string): number[] {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`wasm-assembler: name '${text}' is not printable ASCII`);
  const bytes = Array.from(text, (c) => c.charCodeAt(0));
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb128(body.length), ...body];
}

// Lane order for i8x16.shuffle is given in bytes; we only ever move whole 32-bit lanes.
function laneBytes(lanes: readonly number[]): number[] {
  return lanes.flatMap((lane) => [4 * lane, 4 * lane + 1, 4 * lane + 2, 4 * lane + 3]);
}

// The instructions without immediates that the kernels use, by their names in the text format
// (`i32.add` is I32_OPCODES.add): their opcodes, SIMD ones after the 0xfd prefix.
const I32_OPCODES = { add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, shr_u: 0x76, ge_u: 0x4f } as const;
const F32X4_OPCODES = {
  splat: 0x13,
  /** Rounds each lane to the nearest integer, ties to even. */
  nearest: 0x6a,
  abs: 0xe0,
  /** Lane-wise minimum; NaN in either operand gives NaN. */
  min: 0xe8,
  /** Lane-wise maximum; NaN in either operand gives NaN. */
  max: 0xe9,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
} as const;
const I32X4_OPCODES = {
  splat: 0x11,
  /** Float lanes to signed integers, saturating. */
  trunc_sat_f32x4_s: 0xf8,
  /** Shifts each lane left by an i32 amount. */
  shl: 0xab,
  /** Shifts each lane right (arithmetic) by an i32 amount. */
  shr_s: 0xac,
  add: 0xae,
  sub: 0xb1,
} as const;

/**
 * Builds the body of one function as a stack-machine instruction stream. Each method appends one
 * instruction and returns the builder, so code reads in execution order.
 */
export class FunctionBuilder {
  private readonly localTypes: ValueTypeCode[] = [];
  private readonly code: number[] = [];

  constructor(
    readonly exportName: string,
    readonly paramTypes: readonly ValueTypeCode[],
  ) {}

  /** Declares a new local variable and returns its index. */
  local(type: ValueTypeCode): number {
    this.localTypes.push(type);
    return this.paramTypes.length + this.localTypes.length - 1;
  }

  private emit(...bytes: number[]): this {
    for (const byte of bytes) this.code.push(byte);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.emit(0xfd, ...unsignedLeb128(opcode), ...immediates);
  }

  // Memory arguments: alignment hint 0 (unaligned is always valid) and a constant byte offset.
  private memory(offset: number): number[] {
    return [0, ...unsignedLeb128(offset)];
  }

  get(index: number): this {
    return this.emit(0x20, ...unsignedLeb128(index));
  }
  set(index: number): this {
    return this.emit(0x21, ...unsignedLeb128(index));
  }
  tee(index: number): this {
    return this.emit(0x22, ...unsignedLeb128(index));
  }
  /** local[index] += local[by] (both i32). */
  increment(index: number, by: number): this {
    return this.get(index).get(by).i32('add').set(index);
  }

  i32Const(value: number): this {
    return this.emit(0x41, ...signedLeb128(value));
  }
  /** The i32 instruction `i32.<op>` (operands on the stack). */
  i32(op: keyof typeof I32_OPCODES): this {
    return this.emit(I32_OPCODES[op]);
  }

  /** `block` with no result; `br 0` inside jumps to its end. */
  block(): this {
    return this.emit(0x02, 0x40);
  }
  /** `loop` with no result; `br 0` inside jumps back to its start. */
  loop(): this {
    return this.emit(0x03, 0x40);
  }
  /**
   * Runs `body` n times, where `count` pushes n (an i32; nothing runs when it is 0) and `counter`
   * is an i32 local the loop counts down in.
   */
  repeat(counter: number, count: () => void, body: () => void): this {
    count();
    this.tee(counter).if().loop();
    body();
    this.get(counter).i32Const(1).i32('sub').tee(counter).brIf(0);
    return this.end().end();
  }
  /** `if` with no result, taking an i32 condition. */
  if(): this {
    return this.emit(0x04, 0x40);
  }
  else(): this {
    return this.emit(0x05);
  }
  end(): this {
    return this.emit(0x0b);
  }
  br(depth: number): this {
    return this.emit(0x0c, ...unsignedLeb128(depth));
  }
  brIf(depth: number): this {
    return this.emit(0x0d, ...unsignedLeb128(depth));
  }

  f32Const(value: number): this {
    return this.emit(0x43, ...new Uint8Array(new Float32Array([value]).buffer));
  }
  f32Load(offset = 0): this {
    return this.emit(0x2a, ...this.memory(offset));
  }
  f32Sub(): this {
    return this.emit(0x93);
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, ...this.memory(offset));
  }
  /** Loads one f32 into every lane. */
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09, ...this.memory(offset));
  }
  /** Loads one f32 into lane 0 and zeroes the others. */
  v128Load32Zero(offset = 0): this {
    return this.simd(0x5c, ...this.memory(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, ...this.memory(offset));
  }
  /** Stores lane `lane` (one f32) of a vector. */
  v128Store32Lane(lane: number, offset = 0): this {
    return this.simd(0x5a, ...this.memory(offset), lane);
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  /** Picks four 32-bit lanes from the two operands (lanes 0-3 from the first, 4-7 from the second). */
  shuffleLanes(lanes: readonly [number, number, number, number]): this {
    return this.simd(0x0d, ...laneBytes(lanes));
  }
  /** The SIMD instruction `f32x4.<op>` (operands on the stack). */
  f32x4(op: keyof typeof F32X4_OPCODES): this {
    return this.simd(F32X4_OPCODES[op]);
  }
  /** The SIMD instruction `i32x4.<op>` (operands on the stack). */
  i32x4(op: keyof typeof I32X4_OPCODES): this {
    return this.simd(I32X4_OPCODES[op]);
  }

  /** The function's code section entry: locals, instructions and the final `end`. */
  encode(): number[] {
    const runs: [number, ValueTypeCode][] = [];
    for (const type of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === type) last[0]++;
      else runs.push([1, type]);
    }
    const body = [...vector(runs.map(([count, type]) => [...unsignedLeb128(count), type])), ...this.code, 0x0b];
    return [...unsignedLeb128(body.length), ...body];
  }
}

/** One step of an {@link elementwisePass}: how it loads and stores, and how many floats it covers. */
export interface PassStep {
  /** Loads four floats, or one into lane 0 (the other lanes zero), from the address on the stack. */
  load(): void;
  /** Stores four floats, or lane 0, to the address below the value on the stack. */
  store(): void;
  elements: 4 | 1;
}

/**
 * Emits a pass over `count` floats (an i32 parameter or local): `body` runs once per four floats
 * with full-vector steps, then once per leftover float with single-lane steps, and reads the byte
 * offset of its elements from the i32 local `offset`. `remaining` is a scratch i32 local.
 */
export function elementwisePass(
  f: FunctionBuilder,
  count: number,
  offset: number,
  remaining: number,
  body: (step: PassStep) => void,
): void {
  const steps: PassStep[] = [
    { load: () => f.v128Load(), store: () => f.v128Store(), elements: 4 },
    { load: () => f.v128Load32Zero(), store: () => f.v128Store32Lane(0), elements: 1 },
  ];
  f.i32Const(0).set(offset);
  for (const step of steps) {
    const iterations = () => (step.elements === 4 ? f.get(count).i32Const(2).i32('shr_u') : f.get(count).i32Const(3).i32('and'));
    f.repeat(remaining, iterations, () => {
      body(step);
      f.get(offset)
        .i32Const(4 * step.elements)
        .i32('add')
        .set(offset);
    });
  }
}

/**
 * Encodes a module whose functions return nothing, import their memory as `env.memory` and are
 * exported under their names.
 */
export function encodeModule(functions: readonly FunctionBuilder[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(f.paramTypes.map((t) => [t])), 0]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x01];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, i) => unsignedLeb128(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.exportName), 0x00, ...unsignedLeb128(i)]))),
    ...section(10, vector(functions.map((f) => f.encode()))),
  ]);
}
