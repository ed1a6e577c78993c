import {
  Bernoulli,
  Beta,
  Binomial,
  Categorical,
  ContinuousBernoulli,
  Dirichlet,
  Exponential,
  Gamma,
  Geometric,
  Gumbel,
  HypersphericalUniform,
  Independent,
  Kumaraswamy,
  Laplace,
  LogNormal,
  LowRankMultivariateNormal,
  MultivariateNormal,
  Normal,
  OneHotCategorical,
  Poisson,
  PowerSpherical,
  TransformedDistribution,
  Uniform,
  VonMisesFisher,
  Weibull,
} from '@vae/distributions';
import { Cauchy, HalfNormal, Pareto } from '@vae/distributions';
import type { KLEntry } from '../registry.js';
import { klBernoulliBernoulli } from './bernoulli.js';
import { klBetaBeta, klBetaContinuousBernoulli, klBetaExponential, klBetaGamma, klBetaNormal, klBetaUniform } from './beta.js';
import { klCategoricalCategorical, klOneHotCategoricalOneHotCategorical } from './categorical.js';
import {
  klContinuousBernoulliContinuousBernoulli,
  klContinuousBernoulliExponential,
  klContinuousBernoulliNormal,
  klContinuousBernoulliUniform,
} from './continuous-bernoulli.js';
import { klBernoulliPoisson, klBinomialBinomial, klGeometricGeometric, klPoissonPoisson } from './counts.js';
import { klDirichletDirichlet } from './dirichlet.js';
import { klExponentialExponential, klExponentialGamma, klExponentialNormal } from './exponential.js';
import { klGammaExponential, klGammaGamma, klGammaNormal } from './gamma.js';
import { klIndependentIndependent } from './independent.js';
import { klKumaraswamyBeta } from './kumaraswamy.js';
import { klLaplaceLaplace, klLaplaceNormal } from './laplace.js';
import { klLogNormalLogNormal } from './log-normal.js';
import { klIndependentMultivariateNormal, klMultivariateNormalMultivariateNormal } from './multivariate-normal.js';
import { klNormalLaplace, klNormalNormal } from './normal.js';
import { klPowerSphericalHypersphericalUniform, klPowerSphericalVonMisesFisher } from './power-spherical.js';
import { NEVER_NESTING_PAIRS, klSupportNotContained } from './support.js';
import { klTransformedDistributionTransformedDistribution, sameBijectorWithAnalyticBases } from './transformed-distribution.js';
import {
  klUniformBeta,
  klUniformContinuousBernoulli,
  klUniformExponential,
  klUniformGamma,
  klUniformNormal,
  klUniformUniform,
} from './uniform.js';
import { klVonMisesFisherHypersphericalUniform } from './von-mises-fisher.js';
import { klCauchyCauchy, klHalfNormalHalfNormal, klParetoPareto } from './heavy-tailed.js';
import { klExponentialGumbel, klGammaGumbel, klGumbelGumbel, klGumbelNormal, klNormalGumbel, klUniformGumbel } from './gumbel.js';
import { klWeibullGamma } from './weibull.js';
import { klParetoExponential, klParetoGamma, klParetoNormal, klUniformPareto } from './pareto.js';
import {
  klLowRankMultivariateNormalLowRankMultivariateNormal,
  klLowRankMultivariateNormalMultivariateNormal,
  klMultivariateNormalLowRankMultivariateNormal,
} from './low-rank-multivariate-normal.js';
// VonMises (TFP's pair).
import { VonMises } from '@vae/distributions';
import { klVonMisesVonMises } from './von-mises.js';

/** The pairs listed one by one; {@link builtinKLEntries} adds the support rule's to them. */
const listedEntries: readonly KLEntry[] = [
  // Same family.
  { p: Normal, q: Normal, kl: klNormalNormal },
  { p: Bernoulli, q: Bernoulli, kl: klBernoulliBernoulli },
  { p: Categorical, q: Categorical, kl: klCategoricalCategorical },
  { p: OneHotCategorical, q: OneHotCategorical, kl: klOneHotCategoricalOneHotCategorical },
  { p: ContinuousBernoulli, q: ContinuousBernoulli, kl: klContinuousBernoulliContinuousBernoulli },
  { p: Laplace, q: Laplace, kl: klLaplaceLaplace },
  { p: LogNormal, q: LogNormal, kl: klLogNormalLogNormal },
  { p: Exponential, q: Exponential, kl: klExponentialExponential },
  { p: Uniform, q: Uniform, kl: klUniformUniform },
  { p: Beta, q: Beta, kl: klBetaBeta },
  { p: Gamma, q: Gamma, kl: klGammaGamma },
  { p: Dirichlet, q: Dirichlet, kl: klDirichletDirichlet },
  { p: MultivariateNormal, q: MultivariateNormal, kl: klMultivariateNormalMultivariateNormal },
  { p: Independent, q: Independent, kl: klIndependentIndependent },
  // Across families (those torch.distributions has among these families).
  { p: Normal, q: Laplace, kl: klNormalLaplace },
  { p: Laplace, q: Normal, kl: klLaplaceNormal },
  { p: Beta, q: Normal, kl: klBetaNormal },
  { p: Beta, q: Uniform, kl: klBetaUniform },
  { p: Beta, q: Exponential, kl: klBetaExponential },
  { p: Beta, q: Gamma, kl: klBetaGamma },
  { p: Beta, q: ContinuousBernoulli, kl: klBetaContinuousBernoulli },
  { p: Uniform, q: Beta, kl: klUniformBeta },
  { p: Uniform, q: ContinuousBernoulli, kl: klUniformContinuousBernoulli },
  { p: Uniform, q: Exponential, kl: klUniformExponential },
  { p: Uniform, q: Gamma, kl: klUniformGamma },
  { p: Uniform, q: Normal, kl: klUniformNormal },
  { p: Exponential, q: Gamma, kl: klExponentialGamma },
  { p: Exponential, q: Normal, kl: klExponentialNormal },
  { p: Gamma, q: Exponential, kl: klGammaExponential },
  { p: Gamma, q: Normal, kl: klGammaNormal },
  { p: ContinuousBernoulli, q: Normal, kl: klContinuousBernoulliNormal },
  { p: ContinuousBernoulli, q: Exponential, kl: klContinuousBernoulliExponential },
  { p: ContinuousBernoulli, q: Uniform, kl: klContinuousBernoulliUniform },
  { p: Independent, q: MultivariateNormal, kl: klIndependentMultivariateNormal },
  { p: VonMisesFisher, q: HypersphericalUniform, kl: klVonMisesFisherHypersphericalUniform },
  { p: PowerSpherical, q: HypersphericalUniform, kl: klPowerSphericalHypersphericalUniform },
  { p: PowerSpherical, q: VonMisesFisher, kl: klPowerSphericalVonMisesFisher },
  { p: Kumaraswamy, q: Beta, kl: klKumaraswamyBeta },
  // Count families: torch's pairs among them.
  { p: Poisson, q: Poisson, kl: klPoissonPoisson },
  { p: Geometric, q: Geometric, kl: klGeometricGeometric },
  { p: Binomial, q: Binomial, kl: klBinomialBinomial },
  { p: Bernoulli, q: Poisson, kl: klBernoulliPoisson },
  // The Gumbel pairs (torch), Weibull->Gamma (TFP); Chi2 subclasses Gamma, so every Gamma
  // rule applies to it, and Chi2||Chi2 resolves to Gamma||Gamma without an entry of its own.
  { p: Gumbel, q: Gumbel, kl: klGumbelGumbel },
  { p: Exponential, q: Gumbel, kl: klExponentialGumbel },
  { p: Gamma, q: Gumbel, kl: klGammaGumbel },
  { p: Normal, q: Gumbel, kl: klNormalGumbel },
  { p: Uniform, q: Gumbel, kl: klUniformGumbel },
  { p: Gumbel, q: Normal, kl: klGumbelNormal },
  { p: Weibull, q: Gamma, kl: klWeibullGamma },
  { p: LowRankMultivariateNormal, q: LowRankMultivariateNormal, kl: klLowRankMultivariateNormalLowRankMultivariateNormal },
  { p: LowRankMultivariateNormal, q: MultivariateNormal, kl: klLowRankMultivariateNormalMultivariateNormal },
  { p: MultivariateNormal, q: LowRankMultivariateNormal, kl: klMultivariateNormalLowRankMultivariateNormal },
  ...[Exponential, Gamma, Beta, Uniform, ContinuousBernoulli].map((Q) => ({ p: Gumbel, q: Q, kl: klSupportNotContained })),
  // Supports that never nest: +Infinity.
  ...[Normal, Laplace].flatMap((P) =>
    [Exponential, Gamma, Beta, Uniform, ContinuousBernoulli].map((Q) => ({ p: P, q: Q, kl: klSupportNotContained })),
  ),
  ...[Exponential, Gamma].flatMap((P) => [Beta, Uniform, ContinuousBernoulli].map((Q) => ({ p: P, q: Q, kl: klSupportNotContained }))),
  // Transformed pairs: only under the same bijector object, else the Monte Carlo fallback.
  {
    p: TransformedDistribution,
    q: TransformedDistribution,
    kl: klTransformedDistributionTransformedDistribution,
    when: sameBijectorWithAnalyticBases,
  },
  // Heavy-tailed families.
  { p: HalfNormal, q: HalfNormal, kl: klHalfNormalHalfNormal },
  { p: Cauchy, q: Cauchy, kl: klCauchyCauchy },
  { p: Pareto, q: Pareto, kl: klParetoPareto },
  // Pareto against the light-tailed families and Uniform->Pareto (torch's pairs; issue 20b).
  { p: Pareto, q: Exponential, kl: klParetoExponential },
  { p: Pareto, q: Gamma, kl: klParetoGamma },
  { p: Pareto, q: Normal, kl: klParetoNormal },
  { p: Uniform, q: Pareto, kl: klUniformPareto },
  // The circle: TFP's VonMises||VonMises.
  { p: VonMises, q: VonMises, kl: klVonMisesVonMises },
];

/**
 * Every built-in analytic pair, as plain data: the default registry is built from this list. The
 * listed pairs, then +Infinity for every pair of the support rule (pairs/support.ts) not listed already.
 */
export const builtinKLEntries: readonly KLEntry[] = [
  ...listedEntries,
  ...NEVER_NESTING_PAIRS.filter(([P, Q]) => !listedEntries.some((e) => e.p === P && e.q === Q)).map(([P, Q]) => ({
    p: P,
    q: Q,
    kl: klSupportNotContained,
  })),
];
