// The public surface of @vae/math: every export is named here and nowhere else.
export { InvalidArgumentError } from './errors.js';
export { broadcastShapes, stopGradient, toFloat32, withoutGradient } from './tensor.js';
export type { TensorInput } from './tensor.js';
export { assertElementwise, assertFinite, assertNotNaN } from './validate.js';
export { besselIRatio, logBesselI } from './bessel.js';
export type { BesselOptions } from './bessel.js';
export { polyval, sumToShape } from './special-util.js';
export { digamma, lgamma, trigamma } from './gamma.js';
export { logBeta } from './beta.js';
export { expm1, log1p } from './log1p-expm1.js';
export { ACCURATE_SOFTPLUS_KERNEL, log1mexp, log1pexp, logAddExp, logSigmoid, logSumExp, softplus, softplusInverse } from './logexp.js';
export { logNdtr, ndtr, ndtri } from './normal.js';
export { xlog1py, xlogy } from './xlogy.js';
export { igamma, igammac } from './igamma.js';
export { betainc, logBetainc } from './betainc.js';
export { logSphereSurfaceArea } from './sphere.js';
export { SPHERICAL_TERMS_KERNEL, sphericalTerm, sphericalTermsHost } from './spherical-terms.js';
export type { SphericalFamily, SphericalQuantity } from './spherical-terms.js';
