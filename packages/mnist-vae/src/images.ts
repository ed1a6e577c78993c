import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
import { isSphericalPosterior } from './model.js';
import type { MnistVae } from './model.js';

/** Options of {@link imageGridPng}. */
export interface ImageGridOptions {
  /** Image height (default 28). */
  height?: number;
  /** Image width (default 28). */
  width?: number;
  /** Pixels between images (default 2). */
  gap?: number;
  /** Magnification (default 2: each pixel becomes 2x2). */
  scale?: number;
  /** Background grey level in [0, 1] of the gaps (default 1: white). */
  background?: number;
  /** Draw ink dark on white (default true: pixel 1 is black). */
  invert?: boolean;
}

/**
 * Lays out grey images in a grid and encodes it as a PNG.
 *
 * @remarks
 * Image `i` goes to row `floor(i / cols)`, column `i % cols`. The PNG is
 * `(cols * (width + gap) + gap) * scale` wide and `(rows * (height + gap) + gap) * scale` high.
 *
 * @param images - flat grey images in [0, 1], `height * width` values each, concatenated
 * @param rows - grid rows
 * @param cols - grid columns
 * @param options - size, gap, scale, background, inversion
 * @returns the PNG file's bytes
 *
 * @example
 * ```ts
 * import { imageGridPng } from '@vae/mnist-vae';
 * const png = imageGridPng(new Float32Array(4 * 784).fill(0.5), 2, 2);
 * console.log(png.length > 0, png.subarray(1, 4).toString()); // true PNG
 * ```
 */
export function imageGridPng(images: Float32Array, rows: number, cols: number, options: ImageGridOptions = {}): Buffer {
  const h = options.height ?? 28;
  const w = options.width ?? 28;
  const gap = options.gap ?? 2;
  const scale = options.scale ?? 2;
  const invert = options.invert ?? true;
  const bg = Math.round(255 * (options.background ?? 1));
  const W = (cols * (w + gap) + gap) * scale;
  const H = (rows * (h + gap) + gap) * scale;
  const png = new PNG({ width: W, height: H });
  png.data.fill(bg);
  for (let p = 3; p < png.data.length; p += 4) png.data[p] = 255;
  const n = Math.min(rows * cols, Math.floor(images.length / (h * w)));
  for (let i = 0; i < n; i++) {
    const r0 = (gap + Math.floor(i / cols) * (h + gap)) * scale;
    const c0 = (gap + (i % cols) * (w + gap)) * scale;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = Math.min(1, Math.max(0, images[i * h * w + y * w + x]));
        const g = Math.round(255 * (invert ? 1 - v : v));
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const o = ((r0 + y * scale + dy) * W + c0 + x * scale + dx) * 4;
            png.data[o] = png.data[o + 1] = png.data[o + 2] = g;
          }
        }
      }
    }
  }
  // Grey levels only: an 8-bit greyscale PNG is a quarter of the RGBA size.
  return PNG.sync.write(png, { colorType: 0 });
}

function decodeProbabilities(model: MnistVae, z: Float32Array, dim: number): Float32Array {
  const out = tf.tidy(() => tf.sigmoid(model.decodeLogits(tf.tensor2d(z, [z.length / dim, dim]))));
  const v = out.dataSync() as Float32Array;
  out.dispose();
  return v;
}

/** The coordinates of a manifold grid on the plane: columns left to right, rows top to bottom. */
export interface ManifoldAxes {
  /** z_1 of each column, ascending. */
  x: number[];
  /** z_2 of each row, from the top (largest) down. */
  y: number[];
  /** The other latent coordinates, held fixed (default 0). */
  rest?: number[];
}

/** What {@link manifoldPng} returns. */
export interface ManifoldImage {
  /** The PNG's bytes (28 x 28 pixels per cell, no gaps). */
  png: Buffer;
  /** Grid rows. */
  rows: number;
  /** Grid columns. */
  cols: number;
  /** Plane: z_1 per column; sphere: longitude per column, degrees. */
  x: number[];
  /** Plane: z_2 per row, top first; sphere: latitude per row, degrees, top first. */
  y: number[];
}

function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n > 1 ? a + ((b - a) * i) / (n - 1) : (a + b) / 2));
}

function quantile(sorted: ArrayLike<number>, u: number): number {
  const t = u * (sorted.length - 1);
  const i = Math.floor(t);
  return i + 1 < sorted.length ? sorted[i] + (t - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * A manifold grid over the range of the aggregate posterior: per coordinate, from the 0.5% to
 * the 99.5% quantile of the codes given (the test set's posterior means), so the grid covers
 * where the data actually sits rather than a fixed box; other coordinates at their median.
 *
 * @param codes - latent codes, `count * latentDim` values
 * @param latentDim - the latent dimension
 * @param size - cells per axis
 * @returns the grid's axes
 *
 * @example
 * ```ts
 * import { posteriorManifoldAxes } from '@vae/mnist-vae';
 * const codes = Float32Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 1000) / 100 - 5);
 * const { x, y } = posteriorManifoldAxes(codes, 2, 5);
 * console.log(x[0] < x[4], y[0] > y[4]); // true true
 * ```
 */
export function posteriorManifoldAxes(codes: Float32Array, latentDim: number, size: number): ManifoldAxes {
  const count = codes.length / latentDim;
  const range = (j: number) => {
    const v = Float64Array.from({ length: count }, (_, i) => codes[i * latentDim + j]).sort();
    return [quantile(v, 0.005), quantile(v, 0.5), quantile(v, 0.995)];
  };
  const [x0, , x1] = range(0);
  const [y0, , y1] = latentDim > 1 ? range(1) : [0, 0, 0];
  const rest = Array.from({ length: Math.max(0, latentDim - 2) }, (_, j) => range(j + 2)[1]);
  return { x: linspace(x0, x1, size), y: linspace(y1, y0, size), rest };
}

/**
 * A manifold grid through the prior's quantiles, as in Kingma and Welling's figure: coordinate
 * values z = F^{-1}(u) for u = (i + 1/2) / size, with F the prior's marginal distribution
 * function of each coordinate (estimated from 20,000 seeded prior draws, so any prior works;
 * for the standard normal prior these are the normal quantiles).
 *
 * @param model - a model with a normal posterior
 * @param size - cells per axis
 * @param seed - seed of the prior draws (default 0)
 * @returns the grid's axes
 *
 * @example
 * ```ts
 * import { MnistVae, priorManifoldAxes } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * const { x } = priorManifoldAxes(vae, 2);
 * console.log(x[0] < -0.5 && x[0] > -0.9); // true: the standard normal's quantile at 0.25 is -0.674
 * vae.dispose();
 * ```
 */
export function priorManifoldAxes(model: MnistVae, size: number, seed = 0): ManifoldAxes {
  const d = model.config.latentDim;
  const n = 20000;
  const draws = tf.tidy(() => model.priorDistribution().sample([n], seed));
  const v = draws.dataSync();
  draws.dispose();
  const marginal = (j: number) => Float64Array.from({ length: n }, (_, i) => v[i * d + j]).sort();
  const u = Array.from({ length: size }, (_, i) => (i + 0.5) / size);
  const xs = marginal(0);
  const ys = d > 1 ? marginal(1) : new Float64Array(1);
  const rest = Array.from({ length: Math.max(0, d - 2) }, (_, j) => quantile(marginal(j + 2), 0.5));
  return { x: u.map((p) => quantile(xs, p)), y: u.map((p) => quantile(ys, 1 - p)), rest };
}

/**
 * The latent manifold: decoded pixel means over a grid of latent points, as a PNG, with the grid's
 * coordinates (for axis labels).
 *
 * @remarks
 * Plane (normal posterior): a grid in the first two latent coordinates, top row at the largest
 * z_2: either `size x size` points evenly over [-range, range]^2, or the axes given (see
 * {@link posteriorManifoldAxes} and {@link priorManifoldAxes}). Sphere (latentDim 3): rows are
 * polar angles theta from 0 to pi, columns azimuths phi from 0 to 2 pi (`size` rows, `2 size`
 * columns), midpoints of the cells, reported as latitude and longitude in degrees. Other spheres:
 * the plane grid is used on the first two coordinates.
 *
 * @param model - the model
 * @param size - grid rows (default 20)
 * @param range - half-width of the plane's grid (default 2), or the grid's axes
 * @returns the PNG's bytes, the grid's rows and columns and their coordinates
 *
 * @example
 * ```ts
 * import { MnistVae, manifoldPng } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * const { rows, cols, x } = manifoldPng(vae, 5);
 * console.log(rows, cols, x); // 5 5 [-2, -1, 0, 1, 2]
 * vae.dispose();
 * ```
 */
export function manifoldPng(model: MnistVae, size = 20, range: number | ManifoldAxes = 2): ManifoldImage {
  const d = model.config.latentDim;
  if (isSphericalPosterior(model.config.posterior) && d === 3) {
    const rows = size;
    const cols = 2 * size;
    const z = new Float32Array(rows * cols * 3);
    for (let i = 0; i < rows; i++) {
      const theta = ((i + 0.5) * Math.PI) / rows;
      for (let j = 0; j < cols; j++) {
        const phi = ((j + 0.5) * 2 * Math.PI) / cols;
        const k = i * cols + j;
        z[3 * k] = Math.sin(theta) * Math.cos(phi);
        z[3 * k + 1] = Math.sin(theta) * Math.sin(phi);
        z[3 * k + 2] = Math.cos(theta);
      }
    }
    const x = Array.from({ length: cols }, (_, j) => ((j + 0.5) * 360) / cols);
    const y = Array.from({ length: rows }, (_, i) => 90 - ((i + 0.5) * 180) / rows);
    return { png: imageGridPng(decodeProbabilities(model, z, 3), rows, cols, { scale: 1, gap: 0 }), rows, cols, x, y };
  }
  const axes = typeof range === 'number' ? { x: linspace(-range, range, size), y: linspace(range, -range, size) } : range;
  const rows = axes.y.length;
  const cols = axes.x.length;
  const z = new Float32Array(rows * cols * d);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = i * cols + j;
      z[k * d] = axes.x[j];
      if (d > 1) z[k * d + 1] = axes.y[i];
      for (let r = 2; r < d; r++) z[k * d + r] = axes.rest?.[r - 2] ?? 0;
    }
  }
  return { png: imageGridPng(decodeProbabilities(model, z, d), rows, cols, { scale: 1, gap: 0 }), rows, cols, x: axes.x, y: axes.y };
}

/**
 * Inputs beside their reconstructions: alternating rows of inputs and decoded pixel means at the
 * posterior's mean direction or mean.
 *
 * @param model - the model
 * @param images - flat inputs
 * @param count - how many to show (a multiple of `cols` looks best)
 * @param cols - images per row (default 10)
 * @returns the PNG's bytes and its grid's rows and columns
 *
 * @example
 * ```ts
 * import { MnistVae, reconstructionsPng } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * console.log(reconstructionsPng(vae, new Float32Array(10 * 784), 10).rows); // 2
 * vae.dispose();
 * ```
 */
export function reconstructionsPng(
  model: MnistVae,
  images: Float32Array,
  count: number,
  cols = 10,
): { png: Buffer; rows: number; cols: number } {
  const pixels = model.config.inputDim;
  const x = images.subarray(0, count * pixels);
  const recon = tf.tidy(() => {
    const q = model.encode(tf.tensor2d(x, [count, pixels]));
    let center: tf.Tensor;
    try {
      center = q.mean();
    } catch {
      center = q.mode();
    }
    // A spherical posterior's mean lies inside the ball: project it back onto the sphere.
    if (isSphericalPosterior(model.config.posterior)) center = tf.div(center, tf.norm(center, 'euclidean', -1, true));
    return tf.sigmoid(model.decodeLogits(center));
  });
  const r = recon.dataSync() as Float32Array;
  recon.dispose();
  const groups = Math.ceil(count / cols);
  const out = new Float32Array(2 * groups * cols * pixels);
  for (let g = 0; g < groups; g++) {
    for (let c = 0; c < cols; c++) {
      const i = g * cols + c;
      if (i >= count) continue;
      out.set(x.subarray(i * pixels, (i + 1) * pixels), (2 * g * cols + c) * pixels);
      out.set(r.subarray(i * pixels, (i + 1) * pixels), ((2 * g + 1) * cols + c) * pixels);
    }
  }
  return { png: imageGridPng(out, 2 * groups, cols), rows: 2 * groups, cols };
}

/**
 * Samples from the prior, decoded to pixel means, as a PNG grid.
 *
 * @param model - the model
 * @param rows - grid rows (default 10)
 * @param cols - grid columns (default 10)
 * @param seed - seed of the latent draws (default 0)
 * @returns the PNG's bytes
 *
 * @example
 * ```ts
 * import { MnistVae, samplesPng } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * console.log(samplesPng(vae, 2, 3).length > 100); // true
 * vae.dispose();
 * ```
 */
export function samplesPng(model: MnistVae, rows = 10, cols = 10, seed = 0): Buffer {
  const probs = tf.tidy(() => tf.sigmoid(model.decodeLogits(model.priorDistribution().sample([rows * cols], seed))));
  const v = probs.dataSync() as Float32Array;
  probs.dispose();
  return imageGridPng(v, rows, cols);
}

/**
 * The posterior means (or mean directions) of images: the latent codes a scatter plot shows.
 *
 * @param model - the model
 * @param images - flat inputs
 * @param count - number of images
 * @returns `count * latentDim` values
 *
 * @example
 * ```ts
 * import { MnistVae, latentCodes } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * console.log(latentCodes(vae, new Float32Array(3 * 784), 3).length); // 6
 * vae.dispose();
 * ```
 */
export function latentCodes(model: MnistVae, images: Float32Array, count: number): Float32Array {
  const pixels = model.config.inputDim;
  const d = model.config.latentDim;
  const out = new Float32Array(count * d);
  for (let s = 0; s < count; s += 500) {
    const n = Math.min(500, count - s);
    const t = tf.tidy(() => {
      const q = model.encode(tf.tensor2d(images.subarray(s * pixels, (s + n) * pixels), [n, pixels]));
      const m = q.mean();
      return !isSphericalPosterior(model.config.posterior) ? m : tf.div(m, tf.norm(m, 'euclidean', -1, true));
    });
    out.set(t.dataSync() as Float32Array, s * d);
    t.dispose();
  }
  return out;
}
