// The public surface of @vae/kl: every export is named here and nowhere else.
export { KLRegistry, createKLRegistry } from './registry.js';
export type { DistributionClass, KLEntry, KLFunction } from './registry.js';
export { defaultKLRegistry, klDivergence } from './kl-divergence.js';
export type { KLDivergenceOptions } from './kl-divergence.js';
export { monteCarloKL } from './monte-carlo.js';
export type { MonteCarloKLOptions } from './monte-carlo.js';
export { builtinKLEntries } from './pairs/index.js';
export { klBernoulliBernoulli } from './pairs/bernoulli.js';
export { klBetaBeta, klBetaContinuousBernoulli, klBetaExponential, klBetaGamma, klBetaNormal, klBetaUniform } from './pairs/beta.js';
export { klCategoricalCategorical, klOneHotCategoricalOneHotCategorical } from './pairs/categorical.js';
export {
  klContinuousBernoulliContinuousBernoulli,
  klContinuousBernoulliExponential,
  klContinuousBernoulliNormal,
  klContinuousBernoulliUniform,
} from './pairs/continuous-bernoulli.js';
export { klDirichletDirichlet } from './pairs/dirichlet.js';
export { klExponentialExponential, klExponentialGamma, klExponentialNormal } from './pairs/exponential.js';
export { klGammaExponential, klGammaGamma, klGammaNormal } from './pairs/gamma.js';
export { klIndependentIndependent } from './pairs/independent.js';
export { KUMARASWAMY_BETA_SERIES_TERMS, klKumaraswamyBeta } from './pairs/kumaraswamy.js';
export { klLaplaceLaplace, klLaplaceNormal } from './pairs/laplace.js';
export { klLogNormalLogNormal } from './pairs/log-normal.js';
export { klVariationalApproximation } from './pairs/mixture.js';
export type { VariationalApproximationOptions } from './pairs/mixture.js';
export { klIndependentMultivariateNormal, klMultivariateNormalMultivariateNormal } from './pairs/multivariate-normal.js';
export { klNormalLaplace, klNormalNormal } from './pairs/normal.js';
export { klPowerSphericalHypersphericalUniform, klPowerSphericalVonMisesFisher } from './pairs/power-spherical.js';
export { klSupportNotContained } from './pairs/support.js';
export {
  klUniformBeta,
  klUniformContinuousBernoulli,
  klUniformExponential,
  klUniformGamma,
  klUniformNormal,
  klUniformUniform,
} from './pairs/uniform.js';
export { klVonMisesFisherHypersphericalUniform } from './pairs/von-mises-fisher.js';
