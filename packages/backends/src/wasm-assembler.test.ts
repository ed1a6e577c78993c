// Golden bytes for the WebAssembly writer: every encoding below was assembled by hand from the core
// specification (https://webassembly.github.io/spec/core/binary/), then the modules are validated,
// instantiated and run by the engine, so a wrong opcode or size fails twice.
import { elementwisePass, encodeModule, FunctionBuilder, signedLeb128, unsignedLeb128, ValueType } from './wasm-assembler.js';

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, (...args: number[]) => void> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function instantiate(bytes: Uint8Array) {
  const memory = new wasm.Memory({ initial: 1 });
  const { exports } = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  return { memory, exports };
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
// Import section body: one import, "env" "memory", kind 0x02 (memory), limits 0x00 (min only), min 1 page.
const MEMORY_IMPORT = [0x01, 0x03, ...ascii('env'), 0x06, ...ascii('memory'), 0x02, 0x00, 0x01];

describe('LEB128', () => {
  it('encodes unsigned values in 7-bit groups, low group first', () => {
    expect(unsignedLeb128(0)).toEqual([0x00]);
    expect(unsignedLeb128(127)).toEqual([0x7f]);
    expect(unsignedLeb128(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb128(300)).toEqual([0xac, 0x02]);
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb128(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('encodes signed values with the sign in bit 6 of the last group', () => {
    expect(signedLeb128(0)).toEqual([0x00]);
    expect(signedLeb128(-1)).toEqual([0x7f]);
    expect(signedLeb128(63)).toEqual([0x3f]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb128(-64)).toEqual([0x40]);
    expect(signedLeb128(-65)).toEqual([0xbf, 0x7f]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb128(2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(signedLeb128(-(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('round-trips through a decoder for values across the i32 range', () => {
    const decode = (bytes: number[]) => {
      let result = 0;
      let shift = 0;
      let byte = 0;
      for (const b of bytes) {
        byte = b;
        result |= (b & 0x7f) << shift;
        shift += 7;
      }
      return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
    };
    for (const v of [1, -2, 1000, -1000, 65535, -65536, 2 ** 20 + 3, -(2 ** 27) - 5]) expect(decode(signedLeb128(v))).toBe(v);
  });
});

describe('encodeModule', () => {
  it('writes the sections in order with their sizes, for no functions', () => {
    const bytes = Array.from(encodeModule([]));
    expect(bytes).toEqual([
      ...HEADER,
      ...[0x01, 0x01, 0x00], // type section: size 1, no types
      ...[0x02, MEMORY_IMPORT.length, ...MEMORY_IMPORT], // import section
      ...[0x03, 0x01, 0x00], // function section: no functions
      ...[0x07, 0x01, 0x00], // export section: no exports
      ...[0x0a, 0x01, 0x00], // code section: no bodies
    ]);
    expect(wasm.validate(new Uint8Array(bytes))).toBe(true);
  });

  it('encodes a one-function module exactly, and it runs', () => {
    // fill(out: i32): v128.store(out, f32x4.splat(2.5))
    const f = new FunctionBuilder('fill', [ValueType.i32]);
    f.get(0).f32Const(2.5).f32x4('splat').v128Store(0);
    const body = [
      0x00, // no local declarations
      ...[0x20, 0x00], // local.get 0
      ...[0x43, 0x00, 0x00, 0x20, 0x40], // f32.const 2.5 (0x40200000, little-endian)
      ...[0xfd, 0x13], // f32x4.splat
      ...[0xfd, 0x0b, 0x00, 0x00], // v128.store align=0 offset=0
      0x0b, // end
    ];
    const exportEntry = [0x01, 0x04, ...ascii('fill'), 0x00, 0x00]; // one export: "fill", kind func, index 0
    const expected = [
      ...HEADER,
      ...[0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00], // one type: func (i32) -> ()
      ...[0x02, MEMORY_IMPORT.length, ...MEMORY_IMPORT],
      ...[0x03, 0x02, 0x01, 0x00], // one function, of type 0
      ...[0x07, exportEntry.length, ...exportEntry],
      ...[0x0a, body.length + 2, 0x01, body.length, ...body], // one body, with its size
    ];
    const bytes = encodeModule([f]);
    expect(Array.from(bytes)).toEqual(expected);
    expect(wasm.validate(bytes)).toBe(true);

    const { memory, exports } = instantiate(bytes);
    exports.fill(16);
    expect(Array.from(new Float32Array(memory.buffer, 0, 12))).toEqual([0, 0, 0, 0, 2.5, 2.5, 2.5, 2.5, 0, 0, 0, 0]);
  });

  it('groups consecutive locals of one type and encodes i32.const immediates as signed LEB128', () => {
    const f = new FunctionBuilder('locals', []);
    expect([f.local(ValueType.i32), f.local(ValueType.i32), f.local(ValueType.v128), f.local(ValueType.i32)]).toEqual([0, 1, 2, 3]);
    f.i32Const(-1).set(0).i32Const(64).set(1);
    const body = [0x03, 0x02, 0x7f, 0x01, 0x7b, 0x01, 0x7f, 0x41, 0x7f, 0x21, 0x00, 0x41, 0xc0, 0x00, 0x21, 0x01, 0x0b];
    expect(f.encode()).toEqual([body.length, ...body]);
    expect(wasm.validate(encodeModule([f]))).toBe(true);
  });

  it('rejects export names that are not printable ASCII, before writing anything', () => {
    expect(() => encodeModule([new FunctionBuilder('naïve', [])])).toThrow(/name 'naïve' is not printable ASCII/);
  });

  it('writes loops the engine accepts, and an elementwise pass covers the vector body and the tail', () => {
    // triple(x, count): x[i] = 3 x[i] for i < count, four at a time, then one at a time.
    const { i32 } = ValueType;
    const f = new FunctionBuilder('triple', [i32, i32]);
    const [offset, remaining] = [f.local(i32), f.local(i32)];
    elementwisePass(f, 1, offset, remaining, ({ load, store }) => {
      f.get(0).get(offset).i32('add');
      f.get(0).get(offset).i32('add');
      load();
      f.f32Const(3).f32x4('splat').f32x4('mul');
      store();
    });
    const bytes = encodeModule([f]);
    expect(wasm.validate(bytes)).toBe(true);
    const { memory, exports } = instantiate(bytes);
    for (const count of [0, 3, 4, 7, 9]) {
      const view = new Float32Array(memory.buffer, 64, 12);
      view.set(Array.from({ length: 12 }, (_, i) => i + 1));
      exports.triple(64, count);
      expect(Array.from(view)).toEqual(Array.from({ length: 12 }, (_, i) => (i < count ? 3 * (i + 1) : i + 1)));
    }
  });

  it('encodes the SIMD opcodes the kernels use, each validated in a function that uses it', () => {
    const { i32, v128 } = ValueType;
    const cases: [string, (f: FunctionBuilder) => void, number[]][] = [
      ['f32x4.add', (f) => f.v128Zero().v128Zero().f32x4('add').set(1), [0xfd, 0xe4, 0x01]],
      ['f32x4.sub', (f) => f.v128Zero().v128Zero().f32x4('sub').set(1), [0xfd, 0xe5, 0x01]],
      ['f32x4.mul', (f) => f.v128Zero().v128Zero().f32x4('mul').set(1), [0xfd, 0xe6, 0x01]],
      ['f32x4.div', (f) => f.v128Zero().v128Zero().f32x4('div').set(1), [0xfd, 0xe7, 0x01]],
      ['f32x4.min', (f) => f.v128Zero().v128Zero().f32x4('min').set(1), [0xfd, 0xe8, 0x01]],
      ['f32x4.max', (f) => f.v128Zero().v128Zero().f32x4('max').set(1), [0xfd, 0xe9, 0x01]],
      ['f32x4.sqrt', (f) => f.v128Zero().f32x4('sqrt').set(1), [0xfd, 0xe3, 0x01]],
      ['f32x4.abs', (f) => f.v128Zero().f32x4('abs').set(1), [0xfd, 0xe0, 0x01]],
      ['f32x4.nearest', (f) => f.v128Zero().f32x4('nearest').set(1), [0xfd, 0x6a]], // 106 < 128: one LEB128 byte
      ['i32x4.trunc_sat_f32x4_s', (f) => f.v128Zero().i32x4('trunc_sat_f32x4_s').set(1), [0xfd, 0xf8, 0x01]],
      ['i32x4.add', (f) => f.v128Zero().v128Zero().i32x4('add').set(1), [0xfd, 0xae, 0x01]],
      ['i32x4.sub', (f) => f.v128Zero().v128Zero().i32x4('sub').set(1), [0xfd, 0xb1, 0x01]],
      ['i32x4.shl', (f) => f.v128Zero().i32Const(1).i32x4('shl').set(1), [0xfd, 0xab, 0x01]],
      ['i32x4.shr_s', (f) => f.v128Zero().i32Const(1).i32x4('shr_s').set(1), [0xfd, 0xac, 0x01]],
      ['i32x4.splat', (f) => f.i32Const(1).i32x4('splat').set(1), [0xfd, 0x11]],
      ['v128.load32_splat', (f) => f.get(0).v128Load32Splat(8).set(1), [0xfd, 0x09, 0x00, 0x08]],
      ['v128.load32_zero', (f) => f.get(0).v128Load32Zero(4).set(1), [0xfd, 0x5c, 0x00, 0x04]],
      ['v128.load', (f) => f.get(0).v128Load(200).set(1), [0xfd, 0x00, 0x00, 0xc8, 0x01]],
      ['v128.store32_lane', (f) => f.get(0).v128Zero().v128Store32Lane(3, 4), [0xfd, 0x5a, 0x00, 0x04, 0x03]],
      [
        'i8x16.shuffle',
        (f) => f.v128Zero().v128Zero().shuffleLanes([0, 5, 2, 7]).set(1),
        [0xfd, 0x0d, 0, 1, 2, 3, 20, 21, 22, 23, 8, 9, 10, 11, 28, 29, 30, 31],
      ],
    ];
    for (const [opcode, write, encoding] of cases) {
      const f = new FunctionBuilder('op', [i32]);
      f.local(v128);
      write(f);
      const code = f.encode();
      const text = code.join(',');
      expect({ opcode, found: text.includes(encoding.join(',')) }).toEqual({ opcode, found: true });
      expect({ opcode, valid: wasm.validate(encodeModule([f])) }).toEqual({ opcode, valid: true });
    }
  });
});
