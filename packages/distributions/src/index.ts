// The public surface of @vae/distributions: every export is named here and nowhere else.
export {
  Distribution,
  familyName,
  type DistributionOptions,
  type ParameterSpec,
  type ParameterTensors,
  type SampleShape,
} from './distribution.js';
export {
  family,
  FamilyDistribution,
  OnFirstRead,
  type FamilyClass,
  type FamilyInstanceParameters,
  type FamilyParams,
  type FamilyTraits,
  type ParameterTable,
  type ParamsOf,
} from './family.js';
export { LocationScale, type LocationScaleParams } from './location-scale.js';
export { assertConstraint, constraints, type Constraint } from './constraints.js';
export { Normal, type NormalParams } from './normal.js';
export { Bernoulli, type BernoulliParams } from './bernoulli.js';
export { ContinuousBernoulli, type ContinuousBernoulliParams } from './continuous-bernoulli.js';
export { Categorical, CategoricalFamily, OneHotCategorical, type CategoricalParams } from './categorical.js';
export { RelaxedBernoulli, type RelaxedBernoulliParams } from './relaxed-bernoulli.js';
export { RelaxedOneHotCategorical, type RelaxedOneHotCategoricalParams } from './relaxed-one-hot-categorical.js';
export { Laplace, type LaplaceParams } from './laplace.js';
export { Logistic, type LogisticParams } from './logistic.js';
export { Gumbel, type GumbelParams } from './gumbel.js';
export { LogNormal, type LogNormalParams } from './log-normal.js';
export { Exponential, type ExponentialParams } from './exponential.js';
export { Uniform, type UniformParams } from './uniform.js';
export { ConcentrationPair, type ConcentrationPairParams } from './concentration-pair.js';
export { Beta, type BetaParams } from './beta.js';
export { Gamma, type GammaParams } from './gamma.js';
export { Dirichlet, type DirichletParams } from './dirichlet.js';
export { Kumaraswamy, type KumaraswamyParams } from './kumaraswamy.js';
export { cholesky, matrixDiagonal, triangularSolve } from './linalg.js';
export { MultivariateNormal, type MultivariateNormalParams } from './multivariate-normal.js';
export { Directional, type DirectionalParams } from './directional.js';
export { VonMisesFisher, type VonMisesFisherParams } from './von-mises-fisher.js';
export { PowerSpherical, type PowerSphericalParams } from './power-spherical.js';
export { HypersphericalUniform, type HypersphericalUniformParams } from './hyperspherical-uniform.js';
export { Independent, type IndependentParams } from './independent.js';
export { MixtureSameFamily, type CategoricalLike, type MixtureSameFamilyParams } from './mixture-same-family.js';
export { Bijector, type BijectorOptions, type BijectorProperties } from './bijectors/bijector.js';
export { Identity } from './bijectors/identity.js';
export { Exp, Power, Sigmoid, Softplus, Tanh, type PowerParams } from './bijectors/elementwise.js';
export { Affine, Scale, Shift, type AffineParams, type ScaleParams, type ShiftParams } from './bijectors/affine.js';
export { Chain, Invert } from './bijectors/chain.js';
export { Reshape, SoftmaxCentered, type ReshapeParams } from './bijectors/reshape.js';
export { TransformedDistribution, type TransformedDistributionParams } from './transformed-distribution.js';
export { FlowLayer, type FlowLayerParams, type FlowVariableInit } from './bijectors/flow-layer.js';
export { Planar, type PlanarParams } from './bijectors/planar.js';
export { Radial, type RadialParams } from './bijectors/radial.js';
export { Householder, type HouseholderParams } from './bijectors/householder.js';
export { MaskedAutoregressive, type AutoregressiveDirection, type MaskedAutoregressiveParams } from './bijectors/masked-autoregressive.js';
export { Poisson, type PoissonParams } from './poisson.js';
export { Geometric, type GeometricParams } from './geometric.js';
export {
  NegativeBinomial,
  ZeroInflatedNegativeBinomial,
  type NegativeBinomialMeanParams,
  type NegativeBinomialParams,
  type ZeroInflatedNegativeBinomialParams,
} from './negative-binomial.js';
export { Binomial, type BinomialParams } from './binomial.js';
export { HalfNormal, type HalfNormalParams } from './half-normal.js';
export { Cauchy, type CauchyParams } from './cauchy.js';
export { HalfCauchy, type HalfCauchyParams } from './half-cauchy.js';
export { StudentT, type StudentTParams } from './student-t.js';
export { Pareto, type ParetoParams } from './pareto.js';
export { Weibull, type WeibullParams } from './weibull.js';
export { Chi2, type Chi2Params } from './chi2.js';
export { InverseGamma, type InverseGammaParams } from './inverse-gamma.js';
export { LowRankMultivariateNormal, type LowRankMultivariateNormalParams } from './low-rank-multivariate-normal.js';
export { VonMises, type VonMisesParams } from './von-mises.js';
