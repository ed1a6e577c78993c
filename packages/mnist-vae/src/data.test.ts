import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { batchTensor, binarizeImages, loadEmbeddedMnist, parseIdx, readIdxDataset } from './data.js';

function idx(dims: number[], values: (i: number) => number): Buffer {
  const size = dims.reduce((a, b) => a * b, 1);
  const buf = Buffer.alloc(4 + 4 * dims.length + size);
  buf[2] = 0x08;
  buf[3] = dims.length;
  dims.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < size; i++) buf[4 + 4 * dims.length + i] = values(i);
  return buf;
}

function writeSet(dir: string, prefix: string, n: number, gz: boolean, labels = n): void {
  const img = idx([n, 28, 28], (i) => (i * 7) % 256);
  const lab = idx([labels], (i) => i % 10);
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(img) : img);
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${gz ? '.gz' : ''}`), gz ? gzipSync(lab) : lab);
}

describe('the embedded MNIST digits', () => {
  it('are split 8995 / 1005, the first floor(0.9 n) of each digit for training', async () => {
    const { train, test, source } = await loadEmbeddedMnist();
    expect(source).toBe('embedded');
    expect([train.count, test.count]).toEqual([8995, 1005]);
    expect(train.images.length).toBe(8995 * 784);
    const perDigit = (labels: Uint8Array) => Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
    // The package's counts per digit are 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
    const totals = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    expect(perDigit(train.labels)).toEqual(totals.map((n) => Math.floor(0.9 * n)));
    expect(perDigit(test.labels)).toEqual(totals.map((n) => n - Math.floor(0.9 * n)));
    // Pixels are grey levels in [0, 1], and real digits have ink (about 13% on average).
    let ink = 0;
    let outside = 0;
    for (const v of train.images) {
      if (!(v >= 0 && v <= 1)) outside++;
      ink += v;
    }
    expect(outside).toBe(0);
    expect(ink / train.images.length).toBeGreaterThan(0.08);
    expect(ink / train.images.length).toBeLessThan(0.2);
  });

  it('are the package files in their own order', async () => {
    const { train, test } = await loadEmbeddedMnist();
    const zero = JSON.parse(readFileSync(join(dirname(createRequire(__filename).resolve('mnist')), 'digits/0.json'), 'utf8'))
      .data as number[];
    expect(Array.from(train.images.subarray(0, 784))).toEqual(zero.slice(0, 784).map((v) => Math.fround(v)));
    // The first test image is digit 0's image number 900.
    expect(Array.from(test.images.subarray(0, 784))).toEqual(zero.slice(900 * 784, 901 * 784).map((v) => Math.fround(v)));
  });
});

describe('IDX files', () => {
  it('parses raw and gzipped files and scales pixels to [0, 1]', () => {
    for (const gz of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'idx-'));
      writeSet(dir, 'train', 5, gz);
      writeSet(dir, 't10k', 3, gz);
      const data = readIdxDataset(dir);
      expect([data.train.count, data.test.count]).toEqual([5, 3]);
      expect(data.train.images[1]).toBeCloseTo(7 / 255, 6);
      expect(Array.from(data.test.labels)).toEqual([0, 1, 2]);
    }
  });

  it('names the file and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    expect(() => readIdxDataset(join(dir, 'nope'))).toThrow(/no such directory/);
    expect(() => readIdxDataset(dir)).toThrow(/train-images-idx3-ubyte\[\.gz\]: not found/);
    writeSet(dir, 'train', 4, false, 3);
    writeSet(dir, 't10k', 2, false);
    expect(() => readIdxDataset(dir)).toThrow(/train-labels-idx1-ubyte: has 3 labels but .*train-images-idx3-ubyte has 4 images/);
    writeSet(dir, 'train', 4, false);
    const truncated = idx([4, 28, 28], () => 1).subarray(0, 100);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), truncated);
    expect(() => readIdxDataset(dir)).toThrow(/t10k-images-idx3-ubyte: truncated: the header promises 3136 values/);
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte'),
      idx([2, 20, 20], () => 1),
    );
    expect(() => readIdxDataset(dir)).toThrow(/t10k-images-idx3-ubyte: images are 20x20, expected 28x28/);
    const bad = idx([2, 28, 28], () => 1);
    bad[0] = 0x1f;
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), bad);
    expect(() => readIdxDataset(dir)).toThrow(/t10k-images-idx3-ubyte: bad magic number/);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idx([2, 28, 28], () => 1)).subarray(0, 30));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), '');
    expect(() => readIdxDataset(dir)).toThrow(/t10k-images-idx3-ubyte: too short/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), 'f', 3)).toThrow(/f: truncated header/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 5, 6]), 'f', 1)).toThrow(/f: 1 unexpected bytes/);
    expect(() => parseIdx(new Uint8Array([0, 0, 9, 1, 0, 0, 0, 1, 5]), 'f', 1)).toThrow(/f: data type 0x9/);
  });

  it('reports a truncated gzip download', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    writeSet(dir, 'train', 2, true);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx([2, 28, 28], () => 1)).subarray(0, 30));
    writeSet(dir, 't10k', 2, true);
    expect(() => readIdxDataset(dir)).toThrow(/train-images-idx3-ubyte\.gz: cannot be gunzipped/);
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  (existsSync(join(fashion, 'train-images-idx3-ubyte.gz')) ? it : it.skip)("reads Debian's Fashion-MNIST (60,000 + 10,000 images)", () => {
    const data = readIdxDataset(fashion);
    expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
    const counts = Array.from({ length: 10 }, (_, d) => data.train.labels.filter((l) => l === d).length);
    expect(counts).toEqual(new Array(10).fill(6000));
  });
});

describe('binarization and batches', () => {
  it('draws x ~ Bernoulli(pixel): seeded, with the right mean, and leaves grey levels alone for none', () => {
    const grey = new Float32Array(20000).map((_, i) => (i % 4) / 4);
    const a = binarizeImages(grey, 'dynamic', 5);
    expect(binarizeImages(grey, 'dynamic', 5)).toEqual(a);
    expect(binarizeImages(grey, 'dynamic', 6)).not.toEqual(a);
    for (let r = 0; r < 4; r++) {
      let ones = 0;
      for (let i = r; i < grey.length; i += 4) ones += a[i];
      // 5000 draws: standard error sqrt(p(1-p)/5000) <= 0.0071; allow 4.5 of them.
      expect(Math.abs(ones / 5000 - r / 4)).toBeLessThan(0.032);
    }
    expect(a.every((v) => v === 0 || v === 1)).toBe(true);
    expect(binarizeImages(grey, 'none', 5)).toEqual(grey);
    expect(() => binarizeImages(grey, 'sometimes' as never, 5)).toThrow(/binarize must be 'dynamic', 'static' or 'none'/);
  });

  it('builds a batch from rows in the given order', () => {
    const images = new Float32Array([1, 1, 2, 2, 3, 3]);
    const t = batchTensor(images, 2, Uint32Array.from([2, 0, 1]), 1, 2);
    expect(t.arraySync()).toEqual([
      [1, 1],
      [2, 2],
    ]);
    t.dispose();
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  });
});
