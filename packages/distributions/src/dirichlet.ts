import * as tf from '@tensorflow/tfjs-core';
import { digamma, lgamma, withoutGradient, xlogy } from '@vae/math';
import { dirichletSample } from '@vae/samplers';
import { assertConstraint, constraints } from './constraints.js';
import { gammaEntropyCore } from './gamma.js';
import { family } from './family.js';
import type { ParamsOf } from './family.js';

/** Parameters of {@link Dirichlet}. */
export interface DirichletParams extends ParamsOf<typeof Dirichlet> {}

/**
 * The Dirichlet distribution on the probability simplex, reparameterized by implicit
 * differentiation.
 *
 * @remarks
 * With alpha_0 = sum_k alpha_k:
 * log p(x) = sum_k xlogy(alpha_k - 1, x_k) + lgamma(alpha_0) - sum_k lgamma(alpha_k) (exact on
 * the faces of the simplex, where coordinates are 0); mean alpha / alpha_0; variance
 * alpha (alpha_0 - alpha) / (alpha_0^2 (alpha_0 + 1)); entropy
 * log B(alpha) + (alpha_0 - K) psi(alpha_0) - sum_k (alpha_k - 1) psi(alpha_k), evaluated as
 * sum_k G(alpha_k) - G(alpha_0) - (K - 1) psi(alpha_0) with G the Gamma entropy (see {@link Beta}).
 * The mode
 * (alpha - 1) / (alpha_0 - K) is defined where every alpha_k >= 1 and not all equal 1; elsewhere
 * `mode()` throws when `validateArgs` is on and gives NaN when it is off (as for {@link Beta}).
 * eventShape `[K]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Dirichlet } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const d = new Dirichlet({ concentration: [[1, 1, 1], [2, 3, 5]] });
 *   console.log(d.batchShape, d.eventShape); // [2] [3]
 *   console.log(d.logProb([0.2, 0.3, 0.5]).arraySync()); // [0.6931, 2.1407]
 *   const x = d.rsample([4], 1); // shape [4, 2, 3], differentiable in concentration
 *   d.dispose();
 * });
 * ```
 */
export class Dirichlet extends family(
  'Dirichlet',
  {
    /** Concentrations alpha, > 0, shape `batchShape + [K]` with K >= 1. */
    concentration: { constraint: constraints.positive, eventRank: 1 },
  },
  {
    support: constraints.simplex(),
    reparameterized: true,
    eventShape: (p) => p.concentration.shape.slice(-1),
  },
) {
  protected override readonly sampler = dirichletSample;

  private logNormalizer(): tf.Tensor {
    const alpha = this.concentration;
    return tf.sub(tf.sum(lgamma(alpha), -1), lgamma(tf.sum(alpha, -1)));
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.sub(tf.sum(xlogy(tf.sub(this.concentration, 1), x), -1), this.logNormalizer());
  }

  protected override _entropy(): tf.Tensor {
    // = sum_k G(alpha_k) - G(alpha_0) - (K - 1) psi(alpha_0) with G(x) = x + lgamma(x) + (1 - x) psi(x)
    // (from its asymptotic series for large x): the closed form cancels terms of size alpha log alpha.
    const alpha = this.concentration;
    const total = tf.sum(alpha, -1);
    const k = this.eventShape[0];
    return tf.sub(tf.sub(tf.sum(gammaEntropyCore(alpha), -1), gammaEntropyCore(total)), tf.mul(k - 1, digamma(total)));
  }

  protected override _mean(): tf.Tensor {
    return tf.div(this.concentration, tf.sum(this.concentration, -1, true));
  }

  protected override _variance(): tf.Tensor {
    const alpha = this.concentration;
    const total = tf.sum(alpha, -1, true);
    return tf.div(tf.mul(alpha, tf.sub(total, alpha)), tf.mul(tf.square(total), tf.add(total, 1)));
  }

  protected override _mode(): tf.Tensor {
    const alpha = this.concentration;
    const k = this.eventShape[0];
    const total = tf.sum(alpha, -1, true);
    const defined = withoutGradient((u, t) => tf.logicalAnd(tf.all(tf.greaterEqual(u, 1), -1, true), tf.greater(t, k)), alpha, total);
    if (this.validateArgs) {
      assertConstraint(
        alpha,
        'concentration',
        {
          description: 'all >= 1 and not all 1 for mode() to be defined',
          eventRank: 1,
          check: () => tf.squeeze(defined, [-1]),
        },
        this.name,
      );
    }
    const mode = tf.div(tf.sub(alpha, 1), tf.sub(total, k));
    return tf.where(defined, mode, tf.fill(mode.shape, NaN));
  }
}
