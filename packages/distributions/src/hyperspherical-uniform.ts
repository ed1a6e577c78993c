import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@vae/math';
import { uniformSphereSample } from '@vae/samplers';
import { constraints } from './constraints.js';
import type { Constraint } from './constraints.js';
import { Distribution } from './distribution.js';
import type { DistributionOptions } from './distribution.js';
import { checkAmbientDimension, logSphereArea } from './sphere.js';

/** Parameters of {@link HypersphericalUniform}. */
export interface HypersphericalUniformParams extends DistributionOptions {
  /**
   * The AMBIENT dimension d, an integer >= 2: samples are unit vectors in R^d, i.e. points of the
   * (d-1)-dimensional sphere S^{d-1}. (s-vae's `HypersphericalUniform(dim)` takes the manifold
   * dimension d - 1 instead; pass its `dim + 1` here.)
   */
  dim: number;
  /** Optional batch shape (default `[]`): independent copies, all identical. */
  batchShape?: readonly number[];
}

/**
 * The uniform distribution on the unit sphere S^{d-1} in R^d, where `dim` = d is the AMBIENT
 * dimension (d = 3: the ordinary sphere in R^3, events of shape `[3]`).
 *
 * @remarks
 * **`dim` is the ambient dimension d, not the sphere's own dimension d - 1** (s-vae and some papers
 * write S^{dim} with samples in R^{dim+1}; TFP's `SphericalUniform(dimension)` and power_spherical's
 * `HypersphericalUniform(dim)` use the ambient d, as here).
 *
 * The density w.r.t. the surface measure is 1 / |S^{d-1}| with
 * |S^{d-1}| = 2 pi^{d/2} / Gamma(d/2), so log p(x) = -log|S^{d-1}| on the sphere and the entropy is
 * log|S^{d-1}|. The mean is 0 and each coordinate has variance 1/d; there is no mode (the `mode`
 * method throws). Samples are normalized standard normal vectors. Like TFP's `SphericalUniform`,
 * it is marked fully reparameterized: it has no parameters, so `rsample` is allowed and equals
 * `sample` up to the (empty) gradient.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { HypersphericalUniform } from '@vae/distributions';
 *
 * tf.tidy(() => {
 *   const u = new HypersphericalUniform({ dim: 3 }); // the sphere in R^3
 *   const x = u.sample([4], 2);
 *   console.log(x.shape); // [4, 3]
 *   console.log(u.logProb(x).arraySync()); // [-2.531, -2.531, -2.531, -2.531]: -log(4 pi) everywhere
 *   console.log(u.entropy().arraySync()); // 2.531
 * });
 * ```
 */
export class HypersphericalUniform extends Distribution {
  /** The family's name in messages, spelled out because minifiers rename classes. */
  static override readonly familyName: string = 'HypersphericalUniform';

  /** The ambient dimension d. */
  readonly dim: number;
  readonly reparameterized = true;
  readonly support: Constraint = constraints.unitVector();

  /**
   * @param params - `dim` (ambient dimension d >= 2), an optional `batchShape`, and options
   */
  constructor(params: HypersphericalUniformParams) {
    const { dim, batchShape = [], ...options } = params;
    super([], [], options);
    checkAmbientDimension(dim, 'dim', this.name);
    if (!Array.isArray(batchShape) || batchShape.some((b) => !Number.isInteger(b) || b < 0)) {
      throw new InvalidArgumentError('batchShape', 'a list of non-negative integers', `got ${JSON.stringify(batchShape)}`, this.name);
    }
    this.dim = dim;
    this.batchShape.push(...batchShape);
    this.eventShape.push(dim);
  }

  /** The family has no parameter tensors: a new batch shape is all it takes. */
  protected override _expand(batchShape: number[]): HypersphericalUniform {
    return new HypersphericalUniform({ dim: this.dim, batchShape, validateArgs: this.validateArgs });
  }

  /** As `_expand`: a new batch shape is all it takes. */
  protected override _reshapeBatch(batchShape: number[]): HypersphericalUniform {
    return this._expand(batchShape);
  }

  protected _sampleN(n: number, seed?: number): tf.Tensor {
    return uniformSphereSample(this.dim, [n, ...this.batchShape], seed);
  }

  protected _logProb(x: tf.Tensor): tf.Tensor {
    return tf.fill(x.shape.slice(0, -1), -logSphereArea(this.dim));
  }

  protected override _entropy(): tf.Tensor {
    return tf.scalar(logSphereArea(this.dim));
  }

  protected override _mean(): tf.Tensor {
    return tf.zeros([this.dim]);
  }

  protected override _variance(): tf.Tensor {
    return tf.fill([this.dim], 1 / this.dim);
  }
}
