import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes } from '@vae/math';
import {
  Bernoulli,
  Beta,
  Binomial,
  Cauchy,
  ContinuousBernoulli,
  Exponential,
  Gamma,
  Geometric,
  Gumbel,
  HalfCauchy,
  HalfNormal,
  InverseGamma,
  Kumaraswamy,
  Laplace,
  Logistic,
  LogNormal,
  NegativeBinomial,
  Normal,
  Pareto,
  Poisson,
  StudentT,
  Uniform,
  Weibull,
} from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import type { DistributionClass } from '../registry.js';

/**
 * KL(p || q) = +Infinity for families whose supports never nest: p puts mass where q has none.
 *
 * @remarks
 * Registered for every pair where p's support is never contained in q's, whatever the parameters
 * (as torch.distributions does for its families): Normal, Laplace -> Exponential, Gamma, Beta,
 * Uniform, ContinuousBernoulli; Exponential, Gamma -> Beta, Uniform, ContinuousBernoulli; and the
 * support rule {@link NEVER_NESTING_PAIRS} (real line -> half line, Pareto or bounded; half line or
 * Pareto -> bounded; (0, ...) -> Pareto's [x_m, Infinity); unbounded counts -> Bernoulli, Binomial).
 * Pairs whose supports nest only for some parameters (e.g. Uniform -> Uniform, Uniform -> Pareto)
 * return +Infinity elementwise from their own functions instead.
 *
 * @param p - the first distribution
 * @param q - the second distribution
 * @returns +Infinity, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exponential, Normal } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const kl = klDivergence(new Normal({ loc: [0, 1], scale: 1 }), new Exponential({ rate: 1 }));
 *   console.log(kl.arraySync()); // [Infinity, Infinity]
 * });
 * ```
 */
export function klSupportNotContained(p: Distribution, q: Distribution): tf.Tensor {
  return tf.fill(broadcastShapes([p.batchShape, q.batchShape], ['p.batchShape', 'q.batchShape'], 'klSupportNotContained'), Infinity);
}

/** Families on the whole real line. */
const REAL_LINE: DistributionClass[] = [Normal, Laplace, Logistic, Cauchy, StudentT, Gumbel];
/** Families on [0, Infinity) or (0, Infinity) (Chi2 through Gamma). */
const HALF_LINE: DistributionClass[] = [Exponential, Gamma, HalfNormal, HalfCauchy, Weibull, InverseGamma, LogNormal];
/** Families on a bounded interval. */
const BOUNDED: DistributionClass[] = [Beta, Uniform, ContinuousBernoulli, Kumaraswamy];
/** Count families with unbounded support (ZeroInflatedNegativeBinomial through NegativeBinomial). */
const UNBOUNDED_COUNTS: DistributionClass[] = [Poisson, Geometric, NegativeBinomial];

const product = (ps: DistributionClass[], qs: DistributionClass[]): [DistributionClass, DistributionClass][] =>
  ps.flatMap((p) => qs.map((q) => [p, q] as [DistributionClass, DistributionClass]));

/**
 * Family pairs whose supports never nest, whatever the parameters: KL(p || q) is +Infinity. The
 * support rule, as data: real line -> half line, Pareto, bounded; half line and Pareto -> bounded;
 * half line and the (0, 1) families -> Pareto (whose support [x_m, Infinity) never holds (0, x_m));
 * Poisson, Geometric, NegativeBinomial -> Bernoulli, Binomial (torch registers Poisson -> Bernoulli,
 * Binomial; Pareto -> Beta, ContinuousBernoulli, Uniform; Beta, Exponential, Gamma, Gumbel,
 * Laplace, Normal -> Pareto). Uniform -> Pareto and Binomial -> Bernoulli are not here: they nest
 * for some parameters.
 */
export const NEVER_NESTING_PAIRS: readonly [DistributionClass, DistributionClass][] = [
  ...product(REAL_LINE, [...HALF_LINE, Pareto, ...BOUNDED]),
  ...product([...HALF_LINE, Pareto], BOUNDED),
  ...product([...HALF_LINE, Beta, ContinuousBernoulli, Kumaraswamy], [Pareto]),
  ...product(UNBOUNDED_COUNTS, [Bernoulli, Binomial]),
];
