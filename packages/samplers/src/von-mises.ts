import * as tf from '@tensorflow/tfjs-core';
import { logBesselI, ndtr, sumToShape, withoutGradient } from '@vae/math';
import type { TensorInput } from '@vae/math';
import { checkFiniteValues, checkPositive, firstAccepted, sizeOf } from './internal.js';
import type { SamplerOptions } from './sampler-options.js';
import { uniformNoise } from './noise.js';
import { scalarPairSampler, scalarSampler } from './scalar-parameters.js';
import { splitSeed } from './seed.js';

/**
 * The number of Best-Fisher proposals the von Mises sampler draws per element (all at once, on the
 * device); the first accepted one is kept.
 *
 * @remarks
 * Best and Fisher's acceptance probability falls from 1 at kappa = 0 to about 0.658 as kappa grows
 * (it is Wood's d = 2 sampler), so all 24 proposals are rejected with probability below
 * 0.343^24 < 7e-12 per element; such an element keeps its last proposal.
 */
export const VON_MISES_PROPOSALS = 24;

/** From this concentration on, the CDF is Hill's (1977) normal approximation; below, its Fourier series. */
export const VON_MISES_NORMAL_FROM = 10.5;
/** Fourier terms of the series CDF: I_n(k) / I_0(k) < 1e-10 beyond n = 24 for k < 10.5. */
const SERIES_TERMS = 28;
/** Terms of Hankel's series of sqrt(2 pi k) e^-k I_0(k) kept (the 10th is below 7e-9 at k = 10.5). */
const HANKEL_TERMS = 10;
const TWO_PI = 2 * Math.PI;

/**
 * |x| of von Mises(0, kappa) draws, Best and Fisher's (1979) rejection sampler written so that no
 * step cancels at either end of kappa. With tau = 1 + sqrt(1 + 4k^2), rho = (tau - sqrt(2 tau)) / (2k)
 * and s = (1 + rho^2) / (2 rho), a proposal is w = (1 + s z) / (s + z), z = cos(pi u), and x = acos w.
 * Since (1 - w) / (1 + w) = ((s - 1) / (s + 1)) (1 - z) / (1 + z) and (s - 1) / (s + 1) =
 * ((1 - rho) / (1 + rho))^2, the angle is x = 2 atan2((1 - rho) sin(pi u / 2), (1 + rho) cos(pi u / 2)),
 * exact for tiny 1 - rho (kappa = 1e6) where acos(w) would lose half its digits. The acceptance
 * variable c = k (s - w) = (k / (2 rho)) (1 - rho)^2 + 2 k sin^2(x / 2) needs neither 1 / rho nor s.
 */
function bestFisherMagnitude(kappa: tf.Tensor, shape: number[], seed: number): tf.Tensor {
  return withoutGradient((k) => {
    const [seedZ, seedU] = splitSeed(seed, 2);
    const root = tf.sqrt(tf.add(1, tf.mul(4, tf.square(k)))); // sqrt(1 + 4k^2)
    const tau = tf.add(1, root);
    const sqrtTau = tf.sqrt(tau);
    // rho = 2k sqrt(tau) / ((sqrt(tau) + sqrt 2)(sqrt(1 + 4k^2) + 1)): tau - sqrt(2 tau) without cancellation.
    const rho = tf.div(tf.mul(tf.mul(2, k), sqrtTau), tf.mul(tf.add(sqrtTau, Math.SQRT2), tf.add(root, 1)));
    // k / (2 rho), from the same identity.
    const halfKOverRho = tf.div(tf.mul(tf.add(sqrtTau, Math.SQRT2), tf.add(root, 1)), tf.mul(4, sqrtTau));
    // 1 - rho = (sqrt(2 tau) - 1 - 1 / (sqrt(1 + 4k^2) + 2k)) / (2k) above k = 1, where 1 - rho -> k^-1/2.
    const large = tf.greater(k, 1);
    const kLarge = tf.where(large, k, tf.onesLike(k));
    const rootLarge = tf.sqrt(tf.add(1, tf.mul(4, tf.square(kLarge))));
    const oneMinusRhoLarge = tf.div(
      tf.sub(tf.sub(tf.sqrt(tf.mul(2, tf.add(1, rootLarge))), 1), tf.reciprocal(tf.add(rootLarge, tf.mul(2, kLarge)))),
      tf.mul(2, kLarge),
    );
    const proposals = [VON_MISES_PROPOSALS, ...shape];
    // Every proposal-sized operation below is between equal shapes: the cpu backend's broadcasting
    // path indexes each element and is several times slower.
    const perProposal = (t: tf.Tensor) => tf.broadcastTo(t, proposals);
    const oneMinusRho = perProposal(tf.where(large, oneMinusRhoLarge, tf.sub(1, rho)));
    const onePlusRho = tf.sub(2, oneMinusRho);
    const halfAngle = tf.mul(Math.PI / 2, uniformNoise(proposals, seedZ));
    const a = tf.mul(oneMinusRho, tf.sin(halfAngle));
    const b = tf.mul(onePlusRho, tf.cos(halfAngle));
    const a2 = tf.square(a);
    const sinHalfSquared = tf.div(a2, tf.add(a2, tf.square(b)));
    const c = tf.add(tf.mul(perProposal(halfKOverRho), tf.square(oneMinusRho)), tf.mul(perProposal(tf.mul(2, k)), sinHalfSquared));
    const u = uniformNoise(proposals, seedU);
    const accept = tf.logicalOr(tf.greater(tf.mul(c, tf.sub(2, c)), u), tf.greaterEqual(tf.add(tf.log(tf.div(c, u)), 1), c));
    // The angle only for the accepted proposal: atan2 on the output's size, not the proposals'.
    return tf.mul(2, tf.atan2(firstAccepted(accept, a), firstAccepted(accept, b)));
  }, kappa);
}

/** sqrt(2 pi k) e^-k I_0(k) - 1 (Hankel's series) and its k-derivative, for k >= 10.5. */
function hankelI0(k: tf.Tensor): { s: tf.Tensor; ds: tf.Tensor } {
  let term: tf.Tensor = tf.onesLike(k);
  let s: tf.Tensor = tf.zerosLike(k);
  let ds: tf.Tensor = tf.zerosLike(k);
  const invK = tf.reciprocal(k);
  for (let j = 1; j <= HANKEL_TERMS; j++) {
    term = tf.mul(term, tf.mul(invK, (2 * j - 1) ** 2 / (8 * j)));
    s = tf.add(s, term);
    ds = tf.sub(ds, tf.mul(term, tf.mul(j, invK)));
  }
  return { s, ds };
}

/**
 * Hill's (1977) normal approximation of the von Mises(0, k) CDF, Phi(xi), with
 * xi = z - z^3 / D^2, D = (c - 2 z^2 - 16) / 3 - (z^4 + 7 z^2 / 4 + 167 / 2) / (c - 53 - z^2),
 * c = 24 k, z = sqrt(2 / pi) sin(x / 2) / (e^-k I_0(k)) = 2 sqrt(k) sin(x / 2) / (1 + s(k)).
 * Returns xi and its partial derivatives in x and k, all in closed form.
 */
function hillNormal(x: tf.Tensor, k: tf.Tensor): { xi: tf.Tensor; dxiDx: tf.Tensor; dxiDk: tf.Tensor } {
  const { s, ds } = hankelI0(k);
  const onePlusS = tf.add(1, s);
  const sqrtK = tf.sqrt(k);
  const z = tf.div(tf.mul(tf.mul(2, sqrtK), tf.sin(tf.mul(0.5, x))), onePlusS);
  const dzDx = tf.div(tf.mul(sqrtK, tf.cos(tf.mul(0.5, x))), onePlusS);
  const dzDk = tf.mul(z, tf.sub(tf.div(0.5, k), tf.div(ds, onePlusS)));
  const c = tf.mul(24, k);
  const z2 = tf.square(z);
  const numerator = tf.add(tf.add(tf.square(z2), tf.mul(1.75, z2)), 83.5);
  const e = tf.sub(tf.sub(c, 53), z2);
  const d = tf.sub(tf.div(tf.sub(tf.sub(c, tf.mul(2, z2)), 16), 3), tf.div(numerator, e));
  const e2 = tf.square(e);
  // dD/dz and dD/dc.
  const dDz = tf.sub(
    tf.sub(tf.mul(-4 / 3, z), tf.div(tf.add(tf.mul(4, tf.mul(z2, z)), tf.mul(3.5, z)), e)),
    tf.div(tf.mul(tf.mul(2, z), numerator), e2),
  );
  const dDc = tf.add(1 / 3, tf.div(numerator, e2));
  const z3 = tf.mul(z2, z);
  const d2 = tf.square(d);
  const d3 = tf.mul(d2, d);
  const xi = tf.sub(z, tf.div(z3, d2));
  const xiZ = tf.add(tf.sub(1, tf.div(tf.mul(3, z2), d2)), tf.div(tf.mul(tf.mul(2, z3), dDz), d3));
  const xiC = tf.div(tf.mul(tf.mul(2, z3), dDc), d3);
  return { xi, dxiDx: tf.mul(xiZ, dzDx), dxiDk: tf.add(tf.mul(xiZ, dzDk), tf.mul(24, xiC)) };
}

/**
 * R_n = I_n(k) / I_0(k) for n = 0..SERIES_TERMS + 1 by the stable backward recurrence of the ratios
 * r_n = I_n / I_(n-1) = 1 / (2n / k + r_(n+1)), started from r = 0 beyond the last term.
 */
function besselRatios(k: tf.Tensor): tf.Tensor[] {
  const ratios: tf.Tensor[] = new Array(SERIES_TERMS + 2);
  let r: tf.Tensor = tf.zerosLike(k);
  const invK = tf.reciprocal(k);
  for (let n = SERIES_TERMS + 1; n >= 1; n--) {
    r = tf.reciprocal(tf.add(tf.mul(2 * n, invK), r));
    ratios[n] = r;
  }
  const out: tf.Tensor[] = [tf.onesLike(k)];
  for (let n = 1; n <= SERIES_TERMS + 1; n++) out.push(tf.mul(out[n - 1], ratios[n]));
  return out;
}

/**
 * The von Mises(0, k) CDF on [-pi, pi] as a float32 op (no gradient): for k < 10.5 the Fourier
 * series F = 1/2 + x / (2 pi) + (1 / pi) sum_n (I_n(k) / I_0(k)) sin(n x) / n, above Hill's normal
 * approximation. Internal: the tests compare it with scipy; the sampler needs only its derivatives.
 */
export function vonMisesCdf(x: tf.Tensor, k: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const series = withoutGradient((kk) => tf.less(kk, VON_MISES_NORMAL_FROM), k);
    const kSeries = tf.where(series, k, tf.onesLike(k));
    const kNormal = tf.where(series, tf.fill(k.shape, VON_MISES_NORMAL_FROM), k);
    const r = besselRatios(kSeries);
    let sum: tf.Tensor = tf.zerosLike(tf.add(x, kSeries));
    for (let n = 1; n <= SERIES_TERMS; n++) sum = tf.add(sum, tf.mul(r[n], tf.div(tf.sin(tf.mul(n, x)), n)));
    const seriesCdf = tf.add(tf.add(0.5, tf.div(x, TWO_PI)), tf.div(sum, Math.PI));
    const normalCdf = ndtr(hillNormal(x, kNormal).xi);
    return tf.clipByValue(tf.where(tf.broadcastTo(series, seriesCdf.shape), seriesCdf, normalCdf), 0, 1);
  });
}

/**
 * dx/dk of a von Mises(0, k) draw x in [-pi, pi] at fixed CDF value: the implicit reparameterization
 * gradient -(dF/dk) / (dF/dx) (Figurnov, Mohamed and Mnih 2018). For k < 10.5, from the series:
 * dF/dk = (1 / pi) sum_n R_n' sin(n x) / n with R_n' = (R_(n-1) + R_(n+1)) / 2 - R_n R_1, and
 * dF/dx = e^(k (cos x - 1)) / (2 pi e^-k I_0(k)), so dx/dk = -2 e^-k I_0(k) e^(k (1 - cos x)) sum.
 * From 10.5 on, from Hill's approximation Phi(xi): dx/dk = -(dxi/dk) / (dxi/dx), where the normal
 * density cancels, so tails far beyond float32's range of Phi keep a finite gradient.
 */
export function vonMisesSampleDerivative(x: tf.Tensor, k: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const series = tf.less(k, VON_MISES_NORMAL_FROM);
    const kSeries = tf.where(series, k, tf.onesLike(k));
    const kNormal = tf.where(series, tf.fill(k.shape, VON_MISES_NORMAL_FROM), k);
    const r = besselRatios(kSeries);
    let sum: tf.Tensor = tf.zerosLike(tf.add(x, kSeries));
    for (let n = 1; n <= SERIES_TERMS; n++) {
      const derivative = tf.sub(tf.mul(0.5, tf.add(r[n - 1], r[n + 1])), tf.mul(r[n], r[1]));
      sum = tf.add(sum, tf.mul(derivative, tf.div(tf.sin(tf.mul(n, x)), n)));
    }
    const logScaledI0 = tf.sub(logBesselI(0, kSeries, { validateArgs: false }), kSeries);
    const seriesDerivative = tf.mul(-2, tf.mul(tf.exp(tf.add(logScaledI0, tf.mul(kSeries, tf.sub(1, tf.cos(x))))), sum));
    const { dxiDx, dxiDk } = hillNormal(x, kNormal);
    // dxi/dx vanishes only at x = +-pi, where the density is below e^(-2k) < 1e-9: keep it off 0.
    const safeDx = tf.where(tf.greaterEqual(dxiDx, 0), tf.maximum(dxiDx, 1e-30), tf.minimum(dxiDx, -1e-30));
    const normalDerivative = tf.neg(tf.div(dxiDk, safeDx));
    return tf.where(tf.broadcastTo(series, sum.shape), seriesDerivative, normalDerivative);
  });
}

/**
 * A draw of von Mises(0, k), shape `shape`, with the implicit gradient in k. k keeps its own shape
 * (broadcastable to `shape`): its Bessel terms are computed once per batch member, not per draw.
 */
function centeredVonMises(k: tf.Tensor, shape: number[], seed: number): tf.Tensor {
  const [seedMagnitude, seedSign] = splitSeed(seed, 2);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const kappa = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const value = tf.tidy(() => {
      const magnitude = bestFisherMagnitude(kappa, shape, seedMagnitude);
      const negative = tf.less(uniformNoise(shape, seedSign), 0.5);
      return tf.where(negative, tf.neg(magnitude), magnitude);
    });
    save([kappa, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => sumToShape(tf.mul(dy, vonMisesSampleDerivative(saved[1], saved[0])), saved[0].shape),
    };
  });
  return op(k);
}

/**
 * A sampler of a location and a concentration: draws of `shape` from a law on the circle centred
 * at `loc` with concentration `concentration`.
 *
 * @remarks
 * The type of {@link vonMisesSample}, for code that takes a circular sampler. The location must be
 * finite and the concentration > 0 unless `options.validateArgs` is false.
 *
 * @param loc - the mean direction (an angle; any finite real), broadcastable to `shape`
 * @param concentration - kappa (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` with values in [-pi, pi)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vonMisesSample } from '@vae/samplers';
 * import type { LocationConcentrationSampler } from '@vae/samplers';
 *
 * const sample: LocationConcentrationSampler = vonMisesSample;
 * tf.tidy(() => {
 *   console.log(sample(0, 2, [3], 1).shape); // [3]
 * });
 * ```
 */
export type LocationConcentrationSampler = (
  loc: TensorInput,
  concentration: TensorInput,
  shape: readonly number[],
  seed?: number,
  options?: SamplerOptions,
) => tf.Tensor;

/** loc plus a centered von Mises(0, concentration) draw, wrapped into [-pi, pi). */
const vonMises = scalarSampler(
  [
    ['loc', checkFiniteValues],
    ['concentration', checkPositive],
  ],
  ([locT, kappa], s, seed) => {
    if (sizeOf(s) === 0) return tf.add(tf.zeros(s), tf.mul(0, tf.add(locT, kappa)));
    const x = tf.add(locT, centeredVonMises(kappa, s, seed));
    // Wrap into [-pi, pi): a shift by a whole number of turns, which carries no gradient.
    const turns = withoutGradient((v) => tf.floor(tf.div(tf.add(v, Math.PI), TWO_PI)), x);
    const wrapped = tf.sub(x, tf.mul(TWO_PI, turns));
    // Rounding can leave pi itself (or -pi - ulp): fold it back inside.
    return tf.where(
      withoutGradient((v) => tf.greaterEqual(v, Math.PI), wrapped),
      tf.sub(wrapped, TWO_PI),
      wrapped,
    );
  },
);

/**
 * Reparameterized von Mises(loc, concentration) sample on the circle, wrapped to [-pi, pi).
 *
 * @remarks
 * Density exp(kappa cos(x - loc)) / (2 pi I_0(kappa)). The centered angle is drawn by Best and
 * Fisher's (1979) rejection sampler, vectorized on the device: 24 proposals (`VON_MISES_PROPOSALS`)
 * per element at once, the first accepted kept (all rejected with probability < 7e-12). Each
 * proposal is formed as x = 2 atan2((1 - rho) sin(pi u / 2), (1 + rho) cos(pi u / 2)), algebraically
 * Best and Fisher's acos((1 + s cos(pi u)) / (s + cos(pi u))) but without its cancellation, with
 * 1 - rho (about kappa^-1/2) computed directly: kappa from 1e-6 to 1e6 and beyond keeps full
 * relative precision. A random sign, then loc is added and the result wrapped into [-pi, pi).
 *
 * Gradients: d sample / d loc = 1. d sample / d concentration is the implicit reparameterization
 * gradient (Figurnov, Mohamed and Mnih 2018), -(dF/dkappa) / p(x) at the drawn angle x with F the
 * centered CDF: for kappa < 10.5 from the CDF's Fourier series sum (I_n / I_0) sin(n x) / n (with
 * d(I_n / I_0)/dkappa = (I_(n-1) + I_(n+1)) / (2 I_0) - I_n I_1 / I_0^2), from 10.5 on from Hill's
 * (1977) normal approximation Phi(xi(x, kappa)) as -(dxi/dkappa) / (dxi/dx), all in closed form on
 * the device (nothing is read back). The same seed gives the same numbers on every backend
 * (the uniforms are drawn in JavaScript), seed 0 included.
 *
 * @param loc - the mean direction (an angle; any finite real), broadcastable to `shape`
 * @param concentration - kappa (> 0), broadcastable to `shape`
 * @param shape - output shape (sampleShape + batchShape)
 * @param seed - optional integer seed
 * @param options - {@link SamplerOptions}
 * @returns a float32 tensor of `shape` with values in [-pi, pi)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { vonMisesSample } from '@vae/samplers';
 *
 * tf.tidy(() => {
 *   const x = vonMisesSample(0.5, tf.tensor([1, 1000]), [4000, 2], 1);
 *   console.log(x.shape); // [4000, 2]
 *   console.log(tf.mean(tf.cos(tf.sub(x, 0.5)), 0).arraySync()); // ~[0.4464, 0.9995]
 * });
 * ```
 * @function
 */
export const vonMisesSample: LocationConcentrationSampler = scalarPairSampler('vonMisesSample', vonMises);
