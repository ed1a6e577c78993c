import * as tf from '@tensorflow/tfjs';
import { logMarginalLikelihood } from '@vae/elbo';
import { batchTensor } from './data.js';
import { isSphericalPosterior } from './model.js';
import type { MnistVae } from './model.js';
import { meanElbo } from './train.js';

/** Options of {@link evaluateVae}. */
export interface EvaluateOptions {
  /** Importance samples per image for log p(x) (default 5000, as in published tables). */
  k?: number;
  /** Importance samples drawn per chunk (default 250; memory is O(chunkSize * batch)). */
  chunkSize?: number;
  /** Images per call of the estimator (default 50). */
  batchSize?: number;
  /** Seed of the samples (default 1). */
  seed?: number;
  /** Also integrate log p(x) numerically when the latent is 2-d (plane or S^2)? Default true. */
  exact?: boolean;
  /** Grid cells per axis of the numerical integral (default 200; the sphere uses grid x 2 grid). */
  grid?: number;
  /**
   * Half-width of the integration box on the plane (default: 6, widened to cover every test
   * image's posterior mean +- 5 standard deviations; the number of cells stays `grid` per axis,
   * so a wide latent cloud gets wider cells, and the report warns when they are coarse).
   */
  box?: number;
  /**
   * Called as the work goes: after each batch of images (`phase` `'log-likelihood'`, counting
   * images) and after each chunk of grid points of the exact integral (`'exact'`, counting points).
   */
  onProgress?: (done: number, total: number, phase: 'log-likelihood' | 'exact') => void;
}

/** What {@link evaluateVae} returns (plain JSON). */
export interface EvaluationReport {
  /** Number of test images. */
  examples: number;
  /** Mean test ELBO and its parts (one posterior sample per image, nats). */
  elbo: { elbo: number; reconstruction: number; kl: number };
  /** The importance-sampled log-likelihood and its reliability diagnostics. */
  logLikelihood: {
    /** Samples per image. */
    k: number;
    /** Mean estimate of log p(x) (nats). */
    mean: number;
    /** Mean effective sample size over images. */
    essMean: number;
    /** Smallest effective sample size over images. */
    essMin: number;
    /** Mean PSIS k-hat over images. */
    kHatMean: number;
    /** Largest PSIS k-hat over images. */
    kHatMax: number;
    /** Images whose k-hat exceeds 0.7 (estimate unreliable). */
    flagged: number;
  };
  /** The numerical integral of p(x) over a 2-d latent, when computed. */
  exact?: {
    /** `plane` (grid over [-box, box]^2) or `sphere` (grid over the angles of S^2). */
    geometry: 'plane' | 'sphere';
    /** Grid cells per axis (theta x phi for the sphere). */
    grid: number[];
    /** Half-width of the box on the plane (absent for the sphere). */
    box?: number;
    /** Mean exact log p(x). */
    mean: number;
    /** Mean of (importance-sampled estimate - exact); near 0 and slightly negative when all is well. */
    meanDifference: number;
    /** Largest |estimate - exact| over images. */
    maxAbsDifference: number;
    /** Set when the grid's cells are wide next to the posteriors (the integral may be coarse). */
    warning?: string;
  };
  /** How concentrated the posteriors are and how spread over the latent space: collapse shows here. */
  posterior: PosteriorSummary;
  /** Wall time, seconds. */
  seconds: number;
}

/**
 * Grid points and log cell measures covering a 2-d latent space: the plane (midpoints of a
 * `grid x grid` partition of [-box, box]^2, log measure log h^2) or the sphere S^2 in R^3
 * (midpoints in (theta, phi) of a `grid x 2 grid` partition, log measure log(sin theta dtheta dphi)).
 *
 * @param geometry - `plane` or `sphere`
 * @param grid - cells per axis
 * @param box - half-width of the plane's box
 * @returns the points (`[m, 2]` or `[m, 3]`, flat) and one log measure per point
 *
 * @example
 * ```ts
 * import { latentGrid } from '@vae/mnist-vae';
 * const { logMeasure } = latentGrid('sphere', 100);
 * console.log(logMeasure.reduce((s, v) => s + Math.exp(v), 0)); // 12.567, about 4 pi
 * ```
 */
export function latentGrid(
  geometry: 'plane' | 'sphere',
  grid: number,
  box = 6,
): { points: Float32Array; dim: number; logMeasure: Float64Array } {
  if (geometry === 'plane') {
    const h = (2 * box) / grid;
    const points = new Float32Array(grid * grid * 2);
    for (let i = 0; i < grid; i++) {
      for (let j = 0; j < grid; j++) {
        points[2 * (i * grid + j)] = -box + (i + 0.5) * h;
        points[2 * (i * grid + j) + 1] = -box + (j + 0.5) * h;
      }
    }
    return { points, dim: 2, logMeasure: new Float64Array(grid * grid).fill(2 * Math.log(h)) };
  }
  const nt = grid;
  const np = 2 * grid;
  const dt = Math.PI / nt;
  const dp = (2 * Math.PI) / np;
  const points = new Float32Array(nt * np * 3);
  const logMeasure = new Float64Array(nt * np);
  for (let i = 0; i < nt; i++) {
    const theta = (i + 0.5) * dt;
    for (let j = 0; j < np; j++) {
      const phi = (j + 0.5) * dp;
      const k = i * np + j;
      points[3 * k] = Math.sin(theta) * Math.cos(phi);
      points[3 * k + 1] = Math.sin(theta) * Math.sin(phi);
      points[3 * k + 2] = Math.cos(theta);
      logMeasure[k] = Math.log(Math.sin(theta) * dt * dp);
    }
  }
  return { points, dim: 3, logMeasure };
}

/**
 * log p(x) = log of the integral of p(x|z) p(z) dz over a 2-d latent space, by a midpoint rule on
 * {@link latentGrid}, for each image.
 *
 * @remarks
 * For the Bernoulli and continuous Bernoulli decoders log p(x|z) = x . l(z) + log p(0|z), with
 * l(z) the logits, so the whole `[images, grid points]` table is one matrix product plus a row
 * term; it is folded into a float64 log-sum-exp per image, chunk by chunk of grid points.
 *
 * @param model - a model with `latentDim` 2 (normal posterior) or 3 (spherical posterior)
 * @param images - flat inputs, `count * inputDim`
 * @param count - number of images
 * @param grid - cells per axis (default 200)
 * @param box - half-width of the plane's box (default 6)
 * @param onProgress - called after each chunk of grid points with the points done and in all
 * @returns log p(x) per image
 *
 * @example
 * ```ts
 * import { MnistVae, exactLogLikelihood2d } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 1 });
 * console.log(exactLogLikelihood2d(vae, new Float32Array(784), 1, 50)[0] < 0); // true
 * vae.dispose();
 * ```
 */
export function exactLogLikelihood2d(
  model: MnistVae,
  images: Float32Array,
  count: number,
  grid = 200,
  box = 6,
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  const c = model.config;
  const geometry = !isSphericalPosterior(c.posterior) ? 'plane' : 'sphere';
  const expectedDim = geometry === 'plane' ? 2 : 3;
  if (c.latentDim !== expectedDim)
    throw new Error(`exact log p(x) needs a 2-d latent: latentDim 2 (plane) or 3 (sphere S^2); this model has ${c.latentDim}`);
  const { points, dim, logMeasure } = latentGrid(geometry, grid, box);
  const m = logMeasure.length;
  const pixels = c.inputDim;
  const x = tf.tensor2d(images.subarray(0, count * pixels), [count, pixels]);
  const max = new Float64Array(count).fill(-Infinity);
  const sum = new Float64Array(count);
  const chunk = 1000;
  try {
    for (let start = 0; start < m; start += chunk) {
      const size = Math.min(chunk, m - start);
      const table = tf.tidy(() => {
        const z = tf.tensor2d(points.subarray(start * dim, (start + size) * dim), [size, dim]);
        const logits = model.decodeLogits(z); // [size, pixels]
        const base = model.likelihood(z).logProb(tf.zeros([size, pixels])); // log p(0|z), [size]
        const prior = model.priorDistribution().logProb(z); // [size]
        return tf.add(tf.matMul(x, logits, false, true), tf.add(base, prior)); // [count, size]
      });
      const v = table.dataSync();
      table.dispose();
      for (let n = 0; n < count; n++) {
        let mx = max[n];
        let s = sum[n];
        for (let j = 0; j < size; j++) {
          const a = v[n * size + j] + logMeasure[start + j];
          if (a > mx) {
            s = s * Math.exp(mx - a) + 1;
            mx = a;
          } else {
            s += Math.exp(a - mx);
          }
        }
        max[n] = mx;
        sum[n] = s;
      }
      onProgress?.(start + size, m);
    }
  } finally {
    x.dispose();
  }
  return max.map((mx, n) => mx + Math.log(sum[n]));
}

/**
 * The posteriors of the test images, summarized: for a normal posterior, per latent dimension,
 * the mean posterior standard deviation and the spread (standard deviation across images) of the
 * posterior means; for a spherical one, the concentrations and the mean resultant length of the
 * mean directions. A collapsed model has means that do not move with the image (spread near 0,
 * resultant length near 1).
 */
export interface PosteriorSummary {
  /** `normal`, `vmf` or `power-spherical`. */
  family: string;
  /** Normal: mean over images of each dimension's posterior standard deviation. */
  meanStd?: number[];
  /** Normal: standard deviation across images of each dimension's posterior mean. */
  spreadOfMeans?: number[];
  /** Normal: dimensions whose posterior mean varies across images (variance > 0.01, Burda et al.). */
  activeUnits?: number;
  /** Spherical: the concentrations' mean, smallest and largest value. */
  concentration?: { mean: number; min: number; max: number };
  /** Spherical: |mean of the unit mean directions|, in [0, 1]; near 1 when every image sits at one spot. */
  meanResultantLength?: number;
  /** Largest |posterior mean| + 5 standard deviations over images and coordinates (normal). */
  reach?: number;
  /** Smallest posterior standard deviation over images and coordinates (normal). */
  minStd?: number;
}

function summarizePosterior(model: MnistVae, images: Float32Array, count: number): PosteriorSummary {
  const pixels = model.config.inputDim;
  const d = model.config.latentDim;
  const spherical = isSphericalPosterior(model.config.posterior);
  const centers = new Float64Array(count * d);
  const spreads = new Float64Array(spherical ? count : count * d);
  for (let s = 0; s < count; s += 500) {
    const n = Math.min(500, count - s);
    const [c, w] = tf.tidy(() => {
      const q = model.encode(tf.tensor2d(images.subarray(s * pixels, (s + n) * pixels), [n, pixels]));
      if (spherical) {
        const p = q as unknown as { meanDirection: tf.Tensor; concentration: tf.Tensor };
        return [p.meanDirection, p.concentration];
      }
      return [q.mean(), q.stddev()];
    });
    centers.set(c.dataSync(), s * d);
    spreads.set(w.dataSync(), spherical ? s : s * d);
    tf.dispose([c, w]);
  }
  const family = model.config.posterior;
  if (spherical) {
    const sum = new Float64Array(d);
    for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) sum[j] += centers[i * d + j];
    const kappa = Array.from(spreads);
    return {
      family,
      concentration: { mean: kappa.reduce((a, b) => a + b, 0) / count, min: Math.min(...kappa), max: Math.max(...kappa) },
      meanResultantLength: Math.hypot(...Array.from(sum)) / count,
    };
  }
  const meanStd: number[] = [];
  const spreadOfMeans: number[] = [];
  let reach = 0;
  let minStd = Infinity;
  for (let j = 0; j < d; j++) {
    let m = 0;
    let m2 = 0;
    let sd = 0;
    for (let i = 0; i < count; i++) {
      const mu = centers[i * d + j];
      const sigma = spreads[i * d + j];
      m += mu;
      m2 += mu * mu;
      sd += sigma;
      reach = Math.max(reach, Math.abs(mu) + 5 * sigma);
      minStd = Math.min(minStd, sigma);
    }
    m /= count;
    meanStd.push(sd / count);
    spreadOfMeans.push(Math.sqrt(Math.max(0, m2 / count - m * m)));
  }
  return { family, meanStd, spreadOfMeans, activeUnits: spreadOfMeans.filter((v) => v * v > 0.01).length, reach, minStd };
}

/**
 * Evaluates a model on test inputs: ELBO with its parts, the importance-sampled log-likelihood
 * (`logMarginalLikelihood` of `@vae/elbo`, with ESS and PSIS k-hat), and for a 2-d latent the
 * exact log p(x) by numerical integration, to check the estimate against the truth.
 *
 * @param model - the model
 * @param images - flat (binarized) test inputs
 * @param count - number of images
 * @param options - k, chunk and batch sizes, seed, numerical-integration settings
 * @returns the report (plain numbers)
 *
 * @example
 * ```ts
 * import { MnistVae, evaluateVae } from '@vae/mnist-vae';
 * const vae = new MnistVae({ seed: 2 });
 * const images = new Float32Array(4 * 784).map((_, i) => (i % 7 === 0 ? 1 : 0));
 * const report = await evaluateVae(vae, images, 4, { k: 50, grid: 40 });
 * console.log(report.logLikelihood.mean <= report.exact!.mean + 1); // true: a lower bound in expectation
 * vae.dispose();
 * ```
 */
export async function evaluateVae(
  model: MnistVae,
  images: Float32Array,
  count: number,
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const started = performance.now();
  const k = options.k ?? 5000;
  const batchSize = options.batchSize ?? 50;
  const seed = options.seed ?? 1;
  const pixels = model.config.inputDim;
  const elboMeans = meanElbo(model, images, count, { seed });
  const posterior = summarizePosterior(model, images, count);
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const ll: number[] = [];
  const ess: number[] = [];
  const kHat: number[] = [];
  let flagged = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const x = batchTensor(images, pixels, order, start, size);
    try {
      const r = await logMarginalLikelihood(x, {
        encoder: (xb) => model.encode(xb),
        prior: model.prior,
        likelihood: (z) => model.likelihood(z),
        numSamples: k,
        chunkSize: Math.min(options.chunkSize ?? 250, k),
        seed: (seed * 100003 + start) % 2147483647,
      });
      ll.push(...r.logLikelihood);
      ess.push(...r.effectiveSampleSize);
      kHat.push(...r.paretoK);
      flagged += r.paretoK.filter((v) => v > 0.7).length;
    } finally {
      x.dispose();
    }
    options.onProgress?.(start + size, count, 'log-likelihood');
  }
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  const finiteK = kHat.filter((v) => Number.isFinite(v));
  const report: EvaluationReport = {
    examples: count,
    elbo: elboMeans,
    logLikelihood: {
      k,
      mean: mean(ll),
      essMean: mean(ess),
      essMin: Math.min(...ess),
      kHatMean: finiteK.length ? mean(finiteK) : NaN,
      kHatMax: finiteK.length ? Math.max(...finiteK) : NaN,
      flagged,
    },
    posterior,
    seconds: 0,
  };
  const c = model.config;
  const twoD = (!isSphericalPosterior(c.posterior) && c.latentDim === 2) || (isSphericalPosterior(c.posterior) && c.latentDim === 3);
  if ((options.exact ?? true) && twoD) {
    const grid = options.grid ?? 200;
    let box = options.box;
    if (!isSphericalPosterior(c.posterior) && box === undefined) box = Math.max(6, Math.ceil(posterior.reach!));
    const exact = exactLogLikelihood2d(model, images, count, grid, box ?? 6, (done, total) => options.onProgress?.(done, total, 'exact'));
    const cell = (2 * (box ?? 6)) / grid;
    const warning =
      !isSphericalPosterior(c.posterior) && cell > posterior.minStd!
        ? `the exact integral's cells are ${cell.toPrecision(
            2,
          )} wide, more than the narrowest posterior's standard deviation (${posterior.minStd!.toPrecision(
            2,
          )}): it may be coarse; a larger grid refines it`
        : undefined;
    const diff = ll.map((v, i) => v - exact[i]);
    report.exact = {
      geometry: !isSphericalPosterior(c.posterior) ? 'plane' : 'sphere',
      grid: !isSphericalPosterior(c.posterior) ? [grid, grid] : [grid, 2 * grid],
      ...(!isSphericalPosterior(c.posterior) ? { box } : {}),
      mean: mean(exact),
      meanDifference: mean(diff),
      maxAbsDifference: Math.max(...diff.map(Math.abs)),
      ...(warning ? { warning } : {}),
    };
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
