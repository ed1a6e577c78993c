// The count-data study of docs/guides/likelihoods.md: single-cell-like counts drawn from a known
// 2-D latent model, fitted by a small VAE with the zero-inflated negative binomial likelihood (on
// the counts) and, for comparison, with a Gaussian likelihood (on log1p of library-normalized
// counts, as the usual preprocessing does), then scored on held-out cells by how well the
// posterior means recover the true latents (R^2 of a linear map) and how well the decoded means
// match the true negative binomial means. `count-vae-study.ts` runs it over seeds and prints the
// table; `test/count-vae.test.ts` runs a tiny version.
import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal, ZeroInflatedNegativeBinomial } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { StandardNormalPrior } from '@vae/priors';
import { elbo, gaussianLikelihood, zeroInflatedNegativeBinomialLikelihood } from '../src/index.js';

/** The likelihoods compared. */
export type CountLikelihood = 'zinb' | 'gaussian';

/** Sizes of the synthetic data and of the training run. */
export interface CountStudyOptions {
  cells: number;
  genes: number;
  /** Held-out share of the cells (scored, never trained on). */
  heldOutFraction: number;
  latentDim: number;
  hidden: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** The study's defaults: 2000 cells, 100 genes, a 2-D latent, 600 Adam steps of 128 cells. */
export const DEFAULT_COUNT_STUDY: CountStudyOptions = {
  cells: 2000,
  genes: 100,
  heldOutFraction: 0.2,
  latentDim: 2,
  hidden: 64,
  steps: 600,
  batchSize: 128,
  learningRate: 0.01,
  seed: 1,
};

/** Library-size normalization target of the Gaussian's preprocessing (Scanpy's `normalize_total`). */
const TARGET_SUM = 1e4;

/** The synthetic data set and the truth behind it. */
export interface CountData {
  /** Counts, `[cells, genes]`. */
  counts: tf.Tensor2D;
  /** Library sizes (total count of each cell), `[cells, 1]`. */
  library: tf.Tensor2D;
  /** The true latents, `[cells, latentDim]`. */
  z: tf.Tensor2D;
  /** The true negative binomial means ell * softmax(W z + b), `[cells, genes]`. */
  trueMean: tf.Tensor2D;
}

/**
 * Counts from a known latent model: z ~ N(0, I), expression shares rho = softmax(W z + b), library
 * size ell ~ LogNormal(log 1500, 0.4), mean mu = ell rho, per-gene inverse dispersion theta in
 * [0.6, 4.5] and dropout pi ~ sigmoid(N(-2, 0.5)) (about 12%); x ~ ZINB(mu, theta, pi).
 */
export function syntheticCounts(options: CountStudyOptions): CountData {
  const { cells, genes, latentDim, seed } = options;
  return tf.tidy(() => {
    const z = tf.randomNormal([cells, latentDim], 0, 1, 'float32', seed * 101 + 1) as tf.Tensor2D;
    const w = tf.randomNormal([latentDim, genes], 0, 1, 'float32', seed * 101 + 2);
    const b = tf.randomNormal([genes], 0, 1, 'float32', seed * 101 + 3);
    const logEll = tf.randomNormal([cells, 1], Math.log(1500), 0.4, 'float32', seed * 101 + 4);
    const logMean = tf.add(logEll, tf.logSoftmax(tf.add(tf.matMul(z, w), b)));
    const logTheta = tf.randomUniform([genes], -0.5, 1.5, 'float32', seed * 101 + 5);
    const gateLogits = tf.randomNormal([genes], -2, 0.5, 'float32', seed * 101 + 6);
    const zinb = new ZeroInflatedNegativeBinomial({
      totalCount: tf.exp(logTheta),
      logits: tf.sub(logMean, logTheta),
      gateLogits,
      validateArgs: false,
    });
    const counts = zinb.sample([], seed * 101 + 7) as tf.Tensor2D;
    // The observed library size, as scVI uses it; at least 1 so its log is finite.
    const library = tf.maximum(tf.sum(counts, 1, true), 1) as tf.Tensor2D;
    return { counts, library, z, trueMean: tf.exp(logMean) as tf.Tensor2D };
  });
}

/** log1p of counts scaled to a library of TARGET_SUM: the encoder's input, and the Gaussian's data. */
function logNormalized(counts: tf.Tensor, library: tf.Tensor): tf.Tensor {
  return tf.log1p(tf.mul(tf.div(counts, library), TARGET_SUM));
}

type Dense = [tf.Variable, tf.Variable];

function dense(inputs: number, outputs: number, seed: number): Dense {
  const scale = Math.sqrt(2 / (inputs + outputs)); // Glorot
  // tf.variable keeps its initial value's memory; tidy frees the initial tensors themselves.
  return tf.tidy(() => [tf.variable(tf.randomNormal([inputs, outputs], 0, scale, 'float32', seed)), tf.variable(tf.zeros([outputs]))]);
}

/** A dense layer on a tensor of any rank (the last axis is the feature axis). */
function apply(x: tf.Tensor, [w, b]: Dense): tf.Tensor {
  const flat = tf.reshape(x, [-1, x.shape[x.rank - 1] as number]);
  return tf.reshape(tf.add(tf.matMul(flat, w), b), [...x.shape.slice(0, -1), w.shape[1] as number]);
}

/** The VAE: encoder genes -> hidden -> q(z | x); decoder z -> hidden -> the likelihood's parameters. */
class CountVae {
  private readonly encoderHidden: Dense;
  private readonly encoderHead: Dense;
  private readonly decoderHidden: Dense;
  private readonly decoderMean: Dense;
  private readonly decoderGate: Dense;
  /** Per-gene log inverse dispersion (ZINB) or log-scale (Gaussian). */
  private readonly perGene: tf.Variable;
  readonly variables: tf.Variable[];

  constructor(
    readonly likelihood: CountLikelihood,
    readonly options: CountStudyOptions,
  ) {
    const { genes, hidden, latentDim, seed } = options;
    this.encoderHidden = dense(genes, hidden, seed * 13 + 1);
    this.encoderHead = dense(hidden, 2 * latentDim, seed * 13 + 2);
    this.decoderHidden = dense(latentDim, hidden, seed * 13 + 3);
    this.decoderMean = dense(hidden, genes, seed * 13 + 4);
    this.decoderGate = dense(hidden, genes, seed * 13 + 5);
    this.perGene = tf.tidy(() => tf.variable(tf.zeros([genes])));
    this.variables = [...this.encoderHidden, ...this.encoderHead, ...this.decoderHidden, ...this.decoderMean, this.perGene];
    if (likelihood === 'zinb') this.variables.push(...this.decoderGate);
  }

  /** q(z | x) from the log-normalized counts: batch `[B]`, event `[latentDim]`. */
  encode(input: tf.Tensor): Distribution {
    const d = this.options.latentDim;
    const [loc, raw] = tf.split(apply(tf.relu(apply(input, this.encoderHidden)), this.encoderHead), [d, d], -1);
    const scale = tf.add(tf.softplus(raw), 1e-4);
    return new Independent({ distribution: new Normal({ loc, scale, validateArgs: false }), reinterpretedBatchNdims: 1 });
  }

  /** p(x | z) for latents `[S, B, latentDim]` of cells with library sizes `[B, 1]`. */
  decode(z: tf.Tensor, library: tf.Tensor): Distribution {
    const h = tf.relu(apply(z, this.decoderHidden));
    const out = apply(h, this.decoderMean);
    if (this.likelihood === 'gaussian') return gaussianLikelihood(out, { logScale: this.perGene }, { validateArgs: false });
    const logMean = tf.add(tf.log(library), tf.logSoftmax(out));
    const gateLogits = apply(h, this.decoderGate);
    return zeroInflatedNegativeBinomialLikelihood({ logMean, logInverseDispersion: this.perGene, gateLogits }, { validateArgs: false });
  }

  /** The decoded mean count for latents `[B, latentDim]`: ell softmax(...) or ell / 1e4 expm1(y-hat). */
  decodedMean(z: tf.Tensor, library: tf.Tensor): tf.Tensor {
    const out = apply(tf.relu(apply(z, this.decoderHidden)), this.decoderMean);
    if (this.likelihood === 'zinb') return tf.mul(library, tf.softmax(out));
    return tf.mul(tf.div(library, TARGET_SUM), tf.relu(tf.expm1(out)));
  }

  dispose(): void {
    tf.dispose([...this.variables, ...this.decoderGate]);
  }
}

/** One run's figures. */
export interface CountStudyResult {
  likelihood: CountLikelihood;
  seed: number;
  /** R^2 of the linear map (fitted on training cells) from posterior means to true z, on held-out cells. */
  latentR2: number;
  /** Mean over held-out cells and genes of |log1p(decoded mean) - log1p(true NB mean)|. */
  meanAbsLogError: number;
  /** The final training loss (minus the ELBO per cell, on the likelihood's own data scale). */
  finalLoss: number;
  /** Training and scoring time. */
  seconds: number;
}

/** Least squares with an intercept: the R^2 on (xTest, yTest) of the map fitted on (xTrain, yTrain). */
export function linearR2(xTrain: number[][], yTrain: number[][], xTest: number[][], yTest: number[][]): number {
  const design = (x: number[][]) => x.map((row) => [...row, 1]);
  const coefficients = tf.tidy(() => {
    const a = tf.tensor2d(design(xTrain));
    const at = tf.transpose(a);
    const gram = tf.add(tf.matMul(at, a), tf.mul(1e-8, tf.eye(a.shape[1])));
    // Normal equations solved by Gauss-Jordan on the host: the system is (latentDim + 1)-square.
    return { gram: gram.arraySync() as number[][], rhs: tf.matMul(at, tf.tensor2d(yTrain)).arraySync() as number[][] };
  });
  const beta = solve(coefficients.gram, coefficients.rhs);
  const predict = design(xTest).map((row) => beta[0].map((_, j) => row.reduce((s, v, i) => s + v * beta[i][j], 0)));
  const dims = yTest[0].length;
  const means = Array.from({ length: dims }, (_, j) => yTest.reduce((s, r) => s + r[j], 0) / yTest.length);
  let residual = 0;
  let total = 0;
  yTest.forEach((row, n) =>
    row.forEach((v, j) => {
      residual += (v - predict[n][j]) ** 2;
      total += (v - means[j]) ** 2;
    }),
  );
  return 1 - residual / total;
}

function solve(a: number[][], b: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k < m[r].length; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row.slice(n).map((v) => v / m[i][i]));
}

/** A seeded shuffle (mulberry32), so a seed fixes the minibatches too. */
function permutation(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Generates the data for `options.seed`, trains one VAE with `likelihood` and scores it on held-out cells. */
export function runCountStudy(likelihood: CountLikelihood, partial: Partial<CountStudyOptions> = {}): CountStudyResult {
  const options = { ...DEFAULT_COUNT_STUDY, ...partial };
  const started = performance.now();
  const data = syntheticCounts(options);
  const order = permutation(options.cells, options.seed);
  const heldOut = Math.max(2, Math.round(options.cells * options.heldOutFraction));
  const trainIndex = tf.tensor1d(order.slice(heldOut), 'int32');
  const testIndex = tf.tensor1d(order.slice(0, heldOut), 'int32');
  const split = (t: tf.Tensor, index: tf.Tensor) => tf.gather(t, index);
  const [train, test] = [trainIndex, testIndex].map((index) =>
    tf.tidy(() => {
      const counts = split(data.counts, index);
      const library = split(data.library, index);
      return { counts, library, input: logNormalized(counts, library), z: split(data.z, index), trueMean: split(data.trueMean, index) };
    }),
  );
  const vae = new CountVae(likelihood, options);
  const prior = new StandardNormalPrior({ latentDim: options.latentDim });
  const optimizer = tf.train.adam(options.learningRate);
  const nTrain = options.cells - heldOut;
  const batchOrder = permutation(options.steps * options.batchSize, options.seed + 7).map((i) => i % nTrain);
  const loss = (rows: tf.Tensor, step: number) =>
    tf.tidy(() => {
      const input = tf.gather(train.input, rows);
      const library = tf.gather(train.library, rows);
      const x = likelihood === 'zinb' ? tf.gather(train.counts, rows) : input;
      const terms = elbo(
        { x, posterior: vae.encode(input), prior, likelihood: (z) => vae.decode(z, library) },
        {
          kl: 'analytic',
          seed: options.seed * 1_000_003 + step,
        },
      );
      return tf.neg(tf.mean(terms.elbo)) as tf.Scalar;
    });
  let finalLoss = NaN;
  for (let step = 0; step < options.steps; step++) {
    const rows = tf.tensor1d(batchOrder.slice(step * options.batchSize, (step + 1) * options.batchSize), 'int32');
    const last = step === options.steps - 1;
    const value = optimizer.minimize(() => loss(rows, step), last, vae.variables);
    if (last && value) {
      finalLoss = value.dataSync()[0];
      value.dispose();
    }
    rows.dispose();
  }
  const { latentR2, meanAbsLogError } = tf.tidy(() => {
    const trainMeans = (vae.encode(train.input).mean() as tf.Tensor2D).arraySync();
    const testMeans = vae.encode(test.input).mean();
    const r2 = linearR2(
      trainMeans,
      train.z.arraySync() as number[][],
      testMeans.arraySync() as number[][],
      test.z.arraySync() as number[][],
    );
    const decoded = vae.decodedMean(testMeans, test.library);
    const error = tf.mean(tf.abs(tf.sub(tf.log1p(decoded), tf.log1p(test.trueMean)))).dataSync()[0];
    return { latentR2: r2, meanAbsLogError: error };
  });
  optimizer.dispose();
  vae.dispose();
  prior.dispose();
  tf.dispose([data.counts, data.library, data.z, data.trueMean, trainIndex, testIndex, ...[train, test].flatMap((s) => Object.values(s))]);
  return { likelihood, seed: options.seed, latentR2, meanAbsLogError, finalLoss, seconds: (performance.now() - started) / 1000 };
}
