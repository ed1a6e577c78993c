import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
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

/**
 * The latent manifold: decoded pixel means over a grid of latent points, as a PNG.
 *
 * @remarks
 * Plane (normal posterior): a `size x size` grid over [-range, range]^2 in the first two latent
 * coordinates (others 0), top row at z_2 = +range, as in the seed documents' figure. Sphere
 * (latentDim 3): rows are polar angles theta from 0 to pi, columns azimuths phi from 0 to 2 pi
 * (`size` rows, `2 size` columns), midpoints of the cells. Other spheres: the great circle
 * pattern of the first three coordinates is not shown; the plane grid is used on the first two.
 *
 * @param model - the model
 * @param size - grid rows (default 20)
 * @param range - half-width of the plane's grid (default 2)
 * @returns the PNG's bytes and the grid's rows and columns
 *
 * @example
 * ```ts
 * import { MnistVae, manifoldPng } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * const { rows, cols } = manifoldPng(vae, 5);
 * console.log(rows, cols); // 5 5
 * vae.dispose();
 * ```
 */
export function manifoldPng(model: MnistVae, size = 20, range = 2): { png: Buffer; rows: number; cols: number } {
  const d = model.config.latentDim;
  if (model.config.posterior !== 'normal' && d === 3) {
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
    return { png: imageGridPng(decodeProbabilities(model, z, 3), rows, cols, { scale: 1, gap: 0 }), rows, cols };
  }
  const z = new Float32Array(size * size * d);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const k = i * size + j;
      const step = size > 1 ? (2 * range) / (size - 1) : 0;
      z[k * d] = -range + j * step;
      if (d > 1) z[k * d + 1] = range - i * step;
    }
  }
  return { png: imageGridPng(decodeProbabilities(model, z, d), size, size, { scale: 1, gap: 0 }), rows: size, cols: size };
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
export function reconstructionsPng(model: MnistVae, images: Float32Array, count: number, cols = 10): { png: Buffer; rows: number; cols: number } {
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
    if (model.config.posterior !== 'normal') center = tf.div(center, tf.norm(center, 'euclidean', -1, true));
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
      return model.config.posterior === 'normal' ? m : tf.div(m, tf.norm(m, 'euclidean', -1, true));
    });
    out.set(t.dataSync() as Float32Array, s * d);
    t.dispose();
  }
  return out;
}
