import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { Distribution, MixtureSameFamily } from '@vae/distributions';
import { defaultKLRegistry, klDivergence } from './kl-divergence.js';
import type { KLRegistry } from './registry.js';

/**
 * The same distribution with a batch axis of size 1 inserted `fromEnd` axes before the end of its
 * batch shape (so its KL with another re-batched distribution broadcasts into a pairwise table).
 */
function insertBatchAxis(dist: Distribution, fromEnd: number): Distribution {
  const batch = dist.batchShape.slice();
  batch.splice(batch.length - fromEnd, 0, 1);
  try {
    return dist.reshapeBatch(batch);
  } catch (e) {
    if (!(e instanceof Error) || !e.message.endsWith('does not define reshapeBatch()')) throw e;
    throw new InvalidArgumentError(
      'components',
      'of a family whose batch can be reshaped (one that declares its parameters, or Independent of one)',
      `got ${dist.name}; use monteCarloKL instead`,
      'klVariationalApproximation',
    );
  }
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
 * treated as a one-component mixture. The components are laid out as a pairwise table with
 * `reshapeBatch`, which every family that declares its parameters has (and Independent of one).
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
