import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import {
  Bernoulli,
  Beta,
  Categorical,
  ContinuousBernoulli,
  Dirichlet,
  Distribution,
  Exponential,
  familyName,
  Gamma,
  HypersphericalUniform,
  Independent,
  Kumaraswamy,
  Laplace,
  LogNormal,
  MixtureSameFamily,
  MultivariateNormal,
  Normal,
  OneHotCategorical,
  PowerSpherical,
  Uniform,
  VonMisesFisher,
} from '@vae/distributions';
import { defaultKLRegistry, klDivergence } from './kl-divergence.js';
import type { DistributionClass, KLRegistry } from './registry.js';

/** Each family's constructor parameters (also its tensor properties) and their event ranks. */
const FAMILY_PARAMETERS: [DistributionClass, Record<string, number>][] = [
  [Normal, { loc: 0, scale: 0 }],
  [LogNormal, { loc: 0, scale: 0 }],
  [Laplace, { loc: 0, scale: 0 }],
  [Bernoulli, { logits: 0 }],
  [ContinuousBernoulli, { logits: 0 }],
  [Categorical, { logits: 1 }],
  [OneHotCategorical, { logits: 1 }],
  [Exponential, { rate: 0 }],
  [Uniform, { low: 0, high: 0 }],
  [Beta, { concentration1: 0, concentration0: 0 }],
  [Kumaraswamy, { concentration1: 0, concentration0: 0 }],
  [Gamma, { concentration: 0, rate: 0 }],
  [Dirichlet, { concentration: 1 }],
  [MultivariateNormal, { loc: 1, scaleTril: 2 }],
  [VonMisesFisher, { meanDirection: 1, concentration: 0 }],
  [PowerSpherical, { meanDirection: 1, concentration: 0 }],
];

/**
 * The same distribution with a batch axis of size 1 inserted `fromEnd` axes before the end of its
 * batch shape (so its KL with another re-batched distribution broadcasts into a pairwise table).
 */
function insertBatchAxis(dist: Distribution, fromEnd: number): Distribution {
  if (dist instanceof HypersphericalUniform) {
    const batch = dist.batchShape.slice();
    batch.splice(batch.length - fromEnd, 0, 1);
    return new HypersphericalUniform({ dim: dist.dim, batchShape: batch, validateArgs: false });
  }
  if (dist instanceof Independent) {
    const n = dist.reinterpretedBatchNdims;
    const base = insertBatchAxis(dist.distribution, fromEnd + n);
    return new Independent({ distribution: base, reinterpretedBatchNdims: n, validateArgs: false });
  }
  const entry = FAMILY_PARAMETERS.find(([cls]) => dist instanceof cls);
  if (!entry) {
    throw new InvalidArgumentError(
      'components',
      `of a family klVariationalApproximation can re-batch (${FAMILY_PARAMETERS.map(([c]) => familyName(c)).join(
        ', ',
      )}, or Independent of one)`,
      `got ${dist.name}; use monteCarloKL instead`,
      'klVariationalApproximation',
    );
  }
  const params: Record<string, unknown> = { validateArgs: false };
  for (const [name, eventRank] of Object.entries(entry[1])) {
    const t = (dist as unknown as Record<string, tf.Tensor>)[name];
    const batchRank = t.rank - eventRank;
    const at = batchRank - fromEnd;
    params[name] = at < 0 ? t : tf.expandDims(t, at);
  }
  const Family = dist.constructor as new (p: Record<string, unknown>) => Distribution;
  return new Family(params);
}

/** Options of {@link klVariationalApproximation}. */
export interface VariationalApproximationOptions {
  /** The registry to look component pairs up in (default: the default registry). */
  registry?: KLRegistry;
}

/**
 * The variational approximation of Hershey and Olsen (2007) to KL(p || q) for a mixture p (and a
 * mixture or a single distribution q): an approximation, not a bound.
 *
 * @remarks
 * With p = sum_a pi_a p_a and q = sum_b w_b q_b,
 * D_var(p || q) = sum_a pi_a log[ sum_a' pi_a' exp(-KL(p_a || p_a')) / sum_b w_b exp(-KL(p_a || q_b)) ],
 * using the analytic component divergences from the registry (so the component pair must be
 * registered; otherwise this throws). It is exact when p and q are single components, is 0 when
 * p = q, and is neither an upper nor a lower bound of the true KL in general (it can even be
 * negative): use {@link monteCarloKL} when an unbiased estimate is needed. A non-mixture q is
 * treated as a one-component mixture. Component families are re-batched by their parameters
 * (Normal, LogNormal, Laplace, Bernoulli, ContinuousBernoulli, Categorical, OneHotCategorical,
 * Exponential, Uniform, Beta, Kumaraswamy, Gamma, Dirichlet, MultivariateNormal, VonMisesFisher,
 * PowerSpherical and Independent of these).
 *
 * @param p - a mixture, components of batch shape `B + [K]`
 * @param q - a mixture over the same events (components `B + [K']`) or any distribution of batch `B`
 * @param options - `registry` to look component pairs up in (default: the default registry)
 * @returns the approximation, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MixtureSameFamily, Normal } from '@vae/distributions';
 * import { klVariationalApproximation } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const p = new MixtureSameFamily({ mixtureLogits: [0, 0], components: new Normal({ loc: [-1, 1], scale: 0.5 }) });
 *   const q = new Normal({ loc: 0, scale: 1.5 });
 *   console.log(klVariationalApproximation(p, q).dataSync()[0]); // 0.1836 (the true KL is 0.2437)
 * });
 * ```
 */
export function klVariationalApproximation(
  p: MixtureSameFamily,
  q: MixtureSameFamily | Distribution,
  options: VariationalApproximationOptions = {},
): tf.Tensor {
  if (!(p instanceof MixtureSameFamily)) {
    throw new InvalidArgumentError('p', 'a MixtureSameFamily', `got ${(p as Distribution)?.name}`, 'klVariationalApproximation');
  }
  const registry = options.registry ?? defaultKLRegistry;
  return tf.tidy(() => {
    const logPi = tf.logSoftmax(p.mixtureLogits); // B + [K]
    const rows = insertBatchAxis(p.components, 0); // B + [K, 1]
    const columns = insertBatchAxis(p.components, 1); // B + [1, K]
    const within = klDivergence(rows, columns, { registry }); // B + [K, K]
    const numerator = tf.logSumExp(tf.sub(tf.expandDims(logPi, -2), within), -1); // B + [K]
    let denominator: tf.Tensor;
    if (q instanceof MixtureSameFamily) {
      const logW = tf.logSoftmax(q.mixtureLogits);
      const across = klDivergence(rows, insertBatchAxis(q.components, 1), { registry }); // B + [K, K']
      denominator = tf.logSumExp(tf.sub(tf.expandDims(logW, -2), across), -1);
    } else {
      denominator = tf.neg(klDivergence(p.components, insertBatchAxis(q, 0), { registry })); // B + [K]
    }
    return tf.sum(tf.mul(tf.exp(logPi), tf.sub(numerator, denominator)), -1);
  });
}
