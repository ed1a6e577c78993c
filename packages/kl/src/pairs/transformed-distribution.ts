import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import type { TransformedDistribution } from '@vae/distributions';
import { analyticKL } from '../analytic.js';
import type { KLRegistry } from '../registry.js';

/**
 * KL(f(p_base) || f(q_base)) for two `TransformedDistribution`s under the same bijector f: the
 * divergence of the bases, as torch's and TFP's registries give it.
 *
 * @remarks
 * KL is invariant under a bijection applied to both arguments: with y = f(x), both densities pick
 * up the same log |det J_{f^-1}(y)|, which cancels in log p(y) - log q(y), so
 * KL(p || q) = E_{x~p_base}[log p_base(x) - log q_base(x)] = KL(p_base || q_base). "The same" means
 * the same bijector object (two bijectors that merely compute the same map are not recognized;
 * their pair goes to the Monte Carlo fallback). The base pair is looked up in the registry the call
 * came from. Registered with the condition {@link sameBijectorWithAnalyticBases}, so two
 * TransformedDistributions with different bijectors, or with bases that have no analytic pair, are
 * left to `klDivergence`'s fallback.
 *
 * @param p - first TransformedDistribution
 * @param q - second TransformedDistribution, with the same `bijector` object
 * @param registry - where to look up the base pair (`klDivergence` passes its own)
 * @returns KL, shape broadcast(p.batchShape, q.batchShape)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Normal, Sigmoid, TransformedDistribution } from '@vae/distributions';
 * import { klDivergence } from '@vae/kl';
 *
 * tf.tidy(() => {
 *   const squash = new Sigmoid();
 *   const p = new TransformedDistribution({ distribution: new Normal({ loc: 0, scale: 1 }), bijector: squash });
 *   const q = new TransformedDistribution({ distribution: new Normal({ loc: 1, scale: 1 }), bijector: squash });
 *   console.log(klDivergence(p, q).dataSync()[0]); // 0.5 = KL(N(0, 1) || N(1, 1))
 * });
 * ```
 */
export function klTransformedDistributionTransformedDistribution(
  p: TransformedDistribution,
  q: TransformedDistribution,
  registry?: KLRegistry,
): tf.Tensor {
  if (registry === undefined) {
    throw new InvalidArgumentError(
      'registry',
      'the registry the pair was dispatched from (klDivergence passes it)',
      'got undefined',
      'klTransformedDistributionTransformedDistribution',
    );
  }
  if (p.bijector !== q.bijector) {
    throw new InvalidArgumentError(
      'p and q',
      'TransformedDistributions under the same bijector object',
      `p uses a ${p.bijector.name}, q a different ${q.bijector.name}`,
      'klTransformedDistributionTransformedDistribution',
    );
  }
  return tf.tidy(() => analyticKL(p.distribution, q.distribution, registry));
}

/**
 * When {@link klTransformedDistributionTransformedDistribution} holds: the same bijector object and
 * an analytic pair for the bases in the registry.
 *
 * @param p - first TransformedDistribution
 * @param q - second TransformedDistribution
 * @param registry - the registry to look the bases up in
 * @returns whether the bases' KL gives KL(p || q) here
 */
export function sameBijectorWithAnalyticBases(p: TransformedDistribution, q: TransformedDistribution, registry: KLRegistry): boolean {
  return p.bijector === q.bijector && registry.find(p.distribution, q.distribution) !== undefined;
}
