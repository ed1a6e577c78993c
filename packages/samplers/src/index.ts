// The public surface of @vae/samplers: every export is named here and nowhere else.
export { checkSeed, mixSeed, resolveSeed, splitSeed } from './seed.js';
export { gumbel, standardNormal, uniform } from './noise.js';
export type { SamplerOptions } from './sampler-options.js';
export { laplaceSample, logisticSample, normalSample } from './location-scale.js';
export { bernoulliSample, categoricalSample } from './discrete.js';
export { relaxedBernoulliSample, relaxedOneHotSample } from './relaxed.js';
export type { RelaxedOptions } from './relaxed.js';
export { kumaraswamyLogSample, kumaraswamySample } from './kumaraswamy.js';
export { poissonSample } from './poisson.js';
export { betaSample, dirichletSample, gammaLogSample, gammaSample } from './gamma.js';
export { powerSphericalSample, uniformSphereSample } from './sphere.js';
export { GAMMA_LOG_SAMPLE_GRAD_KERNEL, gammaLogSampleDerivative } from './gamma-grad.js';
export { vonMisesFisherSample, vonMisesFisherSampleWithCorrection } from './von-mises-fisher.js';
export type { VonMisesFisherSampleWithCorrection } from './von-mises-fisher.js';
export { vonMisesSample } from './von-mises.js';
