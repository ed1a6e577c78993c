// The public surface of @vae/elbo: every export is named here and nowhere else.
export { elbo } from './elbo.js';
export type { ElboOptions, ElboResult } from './elbo.js';
export type { ModelTerms } from './model-terms.js';
export { iwaeBound, renyiBound } from './bounds.js';
export type { IwaeOptions, RenyiOptions } from './bounds.js';
export { logMarginalLikelihood } from './log-marginal.js';
export type { LogMarginalLikelihoodOptions, LogMarginalLikelihoodResult } from './log-marginal.js';
export { effectiveSampleSize, fitGeneralizedPareto, paretoKHat } from './psis.js';
export type { GeneralizedParetoFit } from './psis.js';
export { bernoulliLikelihood, continuousBernoulliLikelihood, gaussianLikelihood, laplaceLikelihood } from './likelihoods.js';
export type { LikelihoodOptions, ScaleSpec } from './likelihoods.js';
export {
  categorical256Likelihood,
  negativeBinomialLikelihood,
  poissonLikelihood,
  zeroInflatedNegativeBinomialLikelihood,
} from './count-likelihoods.js';
export type { NegativeBinomialSpec } from './count-likelihoods.js';
export { DEFAULT_MIN_LOG_SCALE, discretizedLogisticMixtureLikelihood } from './discretized-logistic.js';
export type { DiscretizedLogisticMixtureSpec } from './discretized-logistic.js';
export { constantSchedule, cyclicalSchedule, linearWarmup, sigmoidSchedule } from './schedules.js';
export type { CyclicalScheduleParams, KLSchedule, KLScheduleEndpoints, LinearWarmupParams, SigmoidScheduleParams } from './schedules.js';
