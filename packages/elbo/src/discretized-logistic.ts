import * as tf from '@tensorflow/tfjs-core';
import { constraints, Distribution, Independent, MixtureSameFamily } from '@vae/distributions';
import type { Constraint, DistributionOptions } from '@vae/distributions';
import { broadcastShapes, InvalidArgumentError, log1mexp, softplus, toFloat32 } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { logisticSample } from '@vae/samplers';
import type { LikelihoodOptions } from './likelihoods.js';

/** The largest 8-bit value; pixel v maps to v / 127.5 - 1 in [-1, 1]. */
const MAX_LEVEL = 255;
/** Half the width of one bin on [-1, 1]: bins are 2 / 255 wide. */
const HALF_BIN = 1 / MAX_LEVEL;

/**
 * The default floor of the log-scales, PixelCNN++'s and NVAE's -7: a logistic of scale e^-7
 * centred on a level puts 97.3% of its mass in that level's bin (a log-mass of -0.027), so the
 * likelihood can be near-deterministic while its gradients stay bounded.
 *
 * @example
 * ```ts
 * import { DEFAULT_MIN_LOG_SCALE } from '@vae/elbo';
 * console.log(DEFAULT_MIN_LOG_SCALE, 2 / 255 / Math.exp(DEFAULT_MIN_LOG_SCALE)); // -7 8.601: the standardized bin width at the floor
 * ```
 */
export const DEFAULT_MIN_LOG_SCALE = -7;

interface DiscretizedLogisticParams extends DistributionOptions {
  loc: TensorInput;
  logScale: TensorInput;
  minLogScale: number;
  /** A batch shape the parameters broadcast to (the mixture's), so no parameter need be copied. */
  batchShape?: readonly number[];
}

/**
 * One logistic on [-1, 1] discretized to the 256 levels of an 8-bit value (the component of
 * {@link discretizedLogisticMixtureLikelihood}); values are the levels 0..255.
 */
class DiscretizedLogistic extends Distribution {
  static override readonly familyName: string = 'DiscretizedLogistic';

  readonly loc: tf.Tensor;
  /** The log-scale as given (before the floor). */
  readonly logScale: tf.Tensor;
  readonly minLogScale: number;
  readonly reparameterized = false;
  readonly support: Constraint = constraints.integerInterval(0, MAX_LEVEL);

  constructor(params: DiscretizedLogisticParams) {
    const { loc, logScale, minLogScale, batchShape, ...options } = params;
    super(batchShape ?? [], [], options);
    const p = this.parameters({ loc, logScale }, { loc: { constraint: constraints.real }, logScale: { constraint: constraints.real } });
    this.loc = p.loc;
    this.logScale = p.logScale;
    this.minLogScale = minLogScale;
  }

  private flooredLogScale(): tf.Tensor {
    return tf.maximum(this.logScale, this.minLogScale);
  }

  protected override _expand(batchShape: number[]): Distribution {
    return new DiscretizedLogistic({
      loc: this.loc,
      logScale: this.logScale,
      minLogScale: this.minLogScale,
      batchShape,
      validateArgs: this.validateArgs,
    });
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const continuous = logisticSample(this.loc, tf.exp(this.flooredLogScale()), [n, ...this.batchShape], seed, this.samplerOptions);
    // The bin of a draw on [-1, 1]; draws beyond the ends fall in the open end bins.
    return tf.clipByValue(tf.round(tf.mul(tf.add(continuous, 1), MAX_LEVEL / 2)), 0, MAX_LEVEL);
  }

  protected _logProb(v: tf.Tensor): tf.Tensor {
    const logScale = this.flooredLogScale();
    const inverseScale = tf.exp(tf.neg(logScale));
    const centred = tf.sub(tf.sub(tf.div(v, MAX_LEVEL / 2), 1), this.loc);
    const upper = tf.mul(inverseScale, tf.add(centred, HALF_BIN)); // standardized upper edge
    const lower = tf.mul(inverseScale, tf.sub(centred, HALF_BIN)); // standardized lower edge
    // sigmoid(a) - sigmoid(b) = sigmoid(b) sigmoid(-a) (e^(a - b) - 1), with a - b = (2 / 255) / s
    // formed directly rather than as a difference of edges: every factor is a log that neither
    // underflows nor cancels, for any scale and any distance from the mean.
    const width = tf.mul(inverseScale, 2 * HALF_BIN);
    const interior = tf.add(
      tf.neg(tf.add(softplus(tf.neg(lower)), softplus(upper))),
      tf.add(width, log1mexp(width)), // log expm1(width)
    );
    const firstBin = tf.neg(softplus(tf.neg(upper))); // log sigmoid(a): the cdf from -infinity
    const lastBin = tf.neg(softplus(lower)); // log(1 - sigmoid(b)): the mass up to +infinity
    const logProb = tf.where(tf.lessEqual(v, 0), firstBin, tf.where(tf.greaterEqual(v, MAX_LEVEL), lastBin, interior));
    // Unvalidated values off the levels have no mass.
    const onLevel = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(v, 0), tf.lessEqual(v, MAX_LEVEL)), tf.equal(v, tf.round(v)));
    return tf.where(onLevel, logProb, tf.fill(logProb.shape, -Infinity));
  }
}

/** The discretized logistic mixture's parameters: the decoder's three outputs, K components each. */
export interface DiscretizedLogisticMixtureSpec {
  /** Unnormalized log mixture weights, shape `[S, B, ...dataEvent, K]`. */
  logits: TensorInput;
  /** The components' locations on the [-1, 1] scale of the data, broadcastable to `logits`. */
  means: TensorInput;
  /** The components' log-scales on that scale, broadcastable to `logits`; floored at `minLogScale`. */
  logScales: TensorInput;
  /**
   * The floor of the log-scales (default -7, PixelCNN++'s and NVAE's): below it the value is
   * clamped and its gradient is 0.
   */
  minLogScale?: number;
}

/**
 * The discretized logistic mixture decoder for 8-bit data (PixelCNN++, NVAE, VDVAE): per subpixel,
 * a mixture of K logistics on [-1, 1] integrated over the 256 bins of the levels 0..255.
 *
 * @remarks
 * Level v maps to x = v / 127.5 - 1; its bin is [x - 1/255, x + 1/255], except the end bins, which
 * are open: level 0 takes all the mass below -1 + 1/255, level 255 all the mass above 1 - 1/255.
 * With a = (x + 1/255 - mu) / s and b = (x - 1/255 - mu) / s, one component gives
 * p(0) = sigmoid(a), p(255) = 1 - sigmoid(b) and p(v) = sigmoid(a) - sigmoid(b) in between, so
 * the 256 masses sum to 1 exactly; the mixture is
 * log p(v) = logsumexp_k(log softmax(logits)_k + log p_k(v)).
 *
 * Everything is in log space: log p(0) = -softplus(-a), log p(255) = -softplus(b), and the interior
 * log(sigmoid(a) - sigmoid(b)) = -softplus(-b) - softplus(a) + log expm1(w) with w = (2/255) / s
 * formed directly, an identity in which nothing underflows or cancels in float32, for scales from
 * e^-7 to e^5 and beyond and for means far outside [-1, 1]. PixelCNN++ instead subtracts the two
 * sigmoids, whose difference rounds to 0 in the tails, and falls back to the density at the bin
 * centre times the bin width there; this form needs no fallback (it is exact where that one is an
 * approximation). log s is clamped below at `minLogScale` (default -7) as in PixelCNN++.
 *
 * Each subpixel has its own mixture (PixelCNN++'s linear coupling of the R, G and B means is not
 * included: give the decoder the channels as data axes). Sampling picks a component, draws its
 * logistic and rounds to the nearest level (clamped to 0..255); not reparameterized.
 * `Independent(MixtureSameFamily(...), eventNdims)`: the last axis of the parameters is K and is
 * not a data axis.
 *
 * @param spec - `logits`, `means`, `logScales` (see {@link DiscretizedLogisticMixtureSpec})
 * @param options - the number of event axes (of `dataEvent`) and validation
 * @returns p(x | z) over levels 0..255: batch `[S, B]`, event `dataEvent`
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { discretizedLogisticMixtureLikelihood } from '@vae/elbo';
 *
 * tf.tidy(() => {
 *   // two subpixels, two components each: one wide around 0, one sharp at level 255
 *   const p = discretizedLogisticMixtureLikelihood({
 *     logits: tf.zeros([1, 2, 2]),
 *     means: tf.tensor([[[0, 1], [0, 1]]]),
 *     logScales: tf.tensor([[[0, -7], [0, -7]]]),
 *   });
 *   console.log(p.logProb(tf.tensor([[128, 255]])).arraySync()); // [-7.3925] = log(0.00196 / 2) + log((0.2697 + 0.9866) / 2)
 *   console.log(p.sample([], 0).shape); // [1, 2]
 * });
 * ```
 */
export function discretizedLogisticMixtureLikelihood(spec: DiscretizedLogisticMixtureSpec, options: LikelihoodOptions = {}): Distribution {
  const context = 'discretizedLogisticMixtureLikelihood';
  if (spec === null || typeof spec !== 'object') {
    throw new InvalidArgumentError('spec', 'an object with logits, means and logScales', `got ${String(spec)}`, context);
  }
  const minLogScale = spec.minLogScale ?? DEFAULT_MIN_LOG_SCALE;
  if (typeof minLogScale !== 'number' || !Number.isFinite(minLogScale)) {
    throw new InvalidArgumentError('minLogScale', 'a finite number', `got ${String(minLogScale)}`, context);
  }
  const logits = toFloat32(spec.logits, 'logits', context);
  const means = toFloat32(spec.means, 'means', context);
  const logScales = toFloat32(spec.logScales, 'logScales', context);
  if (logits.rank < 1 || logits.shape[logits.rank - 1] < 1) {
    throw new InvalidArgumentError(
      'logits',
      'shaped [..., K] with K >= 1 components on the last axis',
      `got shape [${logits.shape}]`,
      context,
    );
  }
  const shape = broadcastShapes([logits.shape, means.shape, logScales.shape], ['logits', 'means', 'logScales'], context);
  if (shape[shape.length - 1] !== logits.shape[logits.rank - 1]) {
    throw new InvalidArgumentError(
      'means and logScales',
      `shaped [..., ${logits.shape[logits.rank - 1]}] like logits (K on the last axis)`,
      `the broadcast shape is [${shape}]`,
      context,
    );
  }
  const components = new DiscretizedLogistic({
    loc: means,
    logScale: logScales,
    minLogScale,
    batchShape: shape,
    validateArgs: options.validateArgs,
  });
  const mixture = new MixtureSameFamily({ mixtureLogits: logits, components, validateArgs: options.validateArgs });
  const n = options.eventNdims ?? 1;
  if (!Number.isInteger(n) || n < 0 || n > mixture.batchShape.length) {
    throw new InvalidArgumentError(
      'eventNdims',
      `an integer in [0, ${mixture.batchShape.length}] (the data axes of the parameters)`,
      `got ${String(n)}`,
      context,
    );
  }
  return new Independent({ distribution: mixture, reinterpretedBatchNdims: n });
}
