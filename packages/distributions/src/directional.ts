import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInput } from '@vae/math';
import type { DirectionalSampler } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import type { DistributionOptions } from './distribution.js';
import { FamilyDistribution, named } from './family.js';
import { checkAmbientDimension } from './sphere.js';

/** Parameters of a {@link Directional} family. */
export interface DirectionalParams extends DistributionOptions {
  /** Mean directions: unit vectors in R^d (d >= 2), shape `B1 + [d]`. */
  meanDirection: TensorInput;
  /** Concentrations kappa, shape `B2` (the family says whether 0 is allowed). */
  concentration: TensorInput;
}

/**
 * The base of the rotation-symmetric families on the unit sphere S^{d-1} in R^d parameterized by a
 * mean direction and a concentration (VonMisesFisher, PowerSpherical): the parameters, the
 * dimension and the support live here, a family adds its math.
 *
 * @remarks
 * `meanDirection` holds unit vectors (its last axis is the ambient dimension d >= 2);
 * `concentration` satisfies the constraint the family passes. Batch shape: broadcast of
 * `meanDirection.shape[:-1]` and `concentration.shape`; event shape `[d]`; the support is the unit
 * vectors. A family extends `directional('Name', concentrationConstraint)`, which names it and
 * fixes what its concentration may be, and gives its sampler as data
 * (`protected override readonly sampler = powerSphericalSample`, called as
 * `sampler(meanDirection, concentration, [n, ...batchShape], seed, samplerOptions)`, see
 * {@link FamilyDistribution}) or implements `_sampleN`.
 *
 * @example
 * ```ts
 * import { Directional, PowerSpherical } from '@vae/distributions';
 * const d = new PowerSpherical({ meanDirection: [[0, 1], [1, 0]], concentration: 3 });
 * console.log(d instanceof Directional, d.dim, d.batchShape); // true 2 [2]
 * d.dispose();
 * ```
 */
export abstract class Directional extends FamilyDistribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'Directional';

  /** Mean directions, shape broadcastable to `batchShape + [d]`. */
  readonly meanDirection: tf.Tensor;
  /** Concentrations, shape broadcastable to `batchShape`. */
  readonly concentration: tf.Tensor;
  /** The ambient dimension d (events are unit vectors in R^d). */
  readonly dim: number;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.unitVector();
  /** The family's sampler from `@vae/samplers` (e.g. `powerSphericalSample`). */
  declare protected readonly sampler?: DirectionalSampler;

  /**
   * @param params - `meanDirection` (unit vectors) and `concentration`, plus options
   * @param concentrationConstraint - what the family allows for `concentration`
   */
  protected constructor(params: DirectionalParams, concentrationConstraint: Constraint) {
    const { meanDirection, concentration, ...options } = params;
    super([], [], options);
    ({ meanDirection: this.meanDirection, concentration: this.concentration } = this.parameters(
      { meanDirection, concentration },
      {
        meanDirection: {
          constraint: constraints.unitVector(),
          eventRank: 1,
          shapeDescription: 'a unit vector or batch of them shaped [..., d]',
          checkShape: (t, family) => checkAmbientDimension(t.shape[t.rank - 1], 'meanDirection (its last axis)', family),
        },
        concentration: { constraint: concentrationConstraint },
      },
    ));
    this.dim = this.meanDirection.shape[this.meanDirection.rank - 1];
    this.eventShape.push(this.dim);
  }

  protected override get tableParameters(): readonly tf.Tensor[] {
    return [this.meanDirection, this.concentration];
  }
}

/**
 * The base class of one family on the sphere: {@link Directional} under the family's name, with the
 * constraint its concentration must satisfy, constructed from {@link DirectionalParams} alone.
 *
 * @remarks
 * As `named` is for the families on other shared bases: VonMisesFisher extends
 * `directional('VonMisesFisher', constraints.nonNegative)` (kappa = 0 is the uniform law), PowerSpherical
 * `directional('PowerSpherical', constraints.positive)`.
 *
 * @param name - the family's name in messages (`'VonMisesFisher'`)
 * @param concentrationConstraint - what the family allows for `concentration`
 * @returns an abstract subclass of {@link Directional} that names the family extending it
 */
export function directional(
  name: string,
  concentrationConstraint: Constraint,
): (abstract new (params: DirectionalParams) => Directional) & { readonly familyName: string } {
  abstract class OnTheSphere extends Directional {
    /**
     * @param params - `meanDirection` (unit vectors) and `concentration`, plus options
     */
    constructor(params: DirectionalParams) {
      super(params, concentrationConstraint);
    }
  }
  return named(OnTheSphere, name);
}
