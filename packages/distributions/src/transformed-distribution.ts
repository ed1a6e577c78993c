import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { Bijector } from './bijectors/bijector.js';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';

/** Parameters of {@link TransformedDistribution}. */
export interface TransformedDistributionParams extends DistributionOptions {
  /** The base distribution of x; it is not copied, and `dispose()` does not free it. */
  distribution: Distribution;
  /** The bijector f, so that y = f(x); not copied, and `dispose()` does not free it. */
  bijector: Bijector;
}

/**
 * The distribution of y = f(x) for x drawn from a base distribution and a bijector f (TFP's
 * `TransformedDistribution`, torch's `TransformedDistribution`): the building block of
 * normalizing flows.
 *
 * @remarks
 * By the change of variables, log p_Y(y) = log p_X(f^-1(y)) + log |det J_{f^-1}(y)|, where the
 * log-Jacobian is taken over y's whole event (the base's event, mapped by the bijector's
 * `forwardEventShape`), so `logProb` has shape `sampleShape + batchShape`. Samples are f(x) for x
 * from the base: `rsample` is differentiable (through x and through the bijector's parameters or
 * trainable variables) exactly when the base is reparameterized. The batch shape is the base's; the
 * base's event must have at least the bijector's `forwardMinEventNdims` axes (wrap the base in
 * `Independent` to make batch axes part of the event). The support is the bijector's codomain when
 * it declares one. `validateArgs` defaults to the base's setting; the bijector checks its inputs by
 * its own setting (turn it off too in a training loop to avoid host read-backs). Moments and entropy
 * are not defined: they rarely have closed forms.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Exp, Normal, TransformedDistribution } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   // exp of a standard normal: the standard log-normal.
 *   const logNormal = new TransformedDistribution({ distribution: new Normal({ loc: 0, scale: 1 }), bijector: new Exp() });
 *   console.log(logNormal.logProb([1, Math.E]).arraySync()); // [-0.9189, -2.4189]
 *   console.log(logNormal.sample([4, 2], 0).shape); // [4, 2]
 * });
 * ```
 */
export class TransformedDistribution extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'TransformedDistribution';

  /** The base distribution of x. */
  readonly distribution: Distribution;
  /** The bijector f: y = f(x). */
  readonly bijector: Bijector;
  readonly reparameterized: boolean;
  readonly support: Constraint;

  /**
   * @param params - the base `distribution`, the `bijector`, and options
   */
  constructor(params: TransformedDistributionParams) {
    const { distribution, bijector, ...options } = params ?? ({} as TransformedDistributionParams);
    super([], [], { ...options, validateArgs: options.validateArgs ?? distribution?.validateArgs });
    if (!(distribution instanceof Distribution)) {
      throw new InvalidArgumentError('distribution', 'a Distribution', `got ${typeof distribution}`, this.name);
    }
    if (!(bijector instanceof Bijector)) {
      throw new InvalidArgumentError('bijector', 'a Bijector', `got ${typeof bijector}`, this.name);
    }
    if (distribution.eventShape.length < bijector.forwardMinEventNdims) {
      throw new InvalidArgumentError(
        'distribution',
        `of event rank >= ${bijector.forwardMinEventNdims} (the ${bijector.name} bijector's forwardMinEventNdims); wrap it in Independent`,
        `got event shape [${distribution.eventShape}]`,
        this.name,
      );
    }
    this.distribution = distribution;
    this.bijector = bijector;
    this.reparameterized = distribution.reparameterized;
    this.batchShape.push(...distribution.batchShape);
    this.eventShape.push(...bijector.forwardEventShape(distribution.eventShape));
    this.support = eventSupport(bijector.codomain, this.eventShape.length);
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    const x = this.distribution.reparameterized ? this.distribution.rsample([n], seed) : this.distribution.sample([n], seed);
    return this.bijector.forward(x);
  }

  // log q(y) at y = f(x) is log p(x) - log |det J_f(x)|: scored on the way forward, the flow never
  // has to be inverted (an IAF inverse takes D sequential passes, a planar one a bisection).
  protected override _sampleAndLogProbN(n: number, seed?: number): [tf.Tensor, tf.Tensor] {
    const { sample: x, logProb: baseLogProb } = this.distribution.rsampleAndLogProb([n], seed);
    const { y, logDetJacobian } = this.bijector.forwardAndLogDetJacobian(x, this.distribution.eventShape.length);
    return [y, tf.sub(baseLogProb, logDetJacobian)];
  }

  protected _logProb(y: tf.Tensor): tf.Tensor {
    const x = this.bijector.inverse(y);
    const eventNdims = this.eventShape.length;
    return tf.add(Distribution.unmaskedLogProb(this.distribution, x), this.bijector.inverseLogDetJacobian(y, eventNdims));
  }
}

/** The codomain as a constraint on whole events: an event is in the support when all its parts are. */
function eventSupport(codomain: Constraint | undefined, eventRank: number): Constraint {
  const base = codomain ?? constraints.real;
  if (base.eventRank >= eventRank) return base;
  const extra = eventRank - base.eventRank;
  return {
    description: base.description,
    eventRank,
    check: (x: tf.Tensor) =>
      tf.tidy(() => {
        const inside = base.check(x);
        return tf.all(
          inside,
          Array.from({ length: extra }, (_, i) => inside.rank - 1 - i),
        );
      }),
  };
}
