// A linear Gaussian model (probabilistic PCA) where log p(x), the exact posterior and the ELBO of any
// diagonal Gaussian posterior are known in closed form (float64), for the bound tests.
//   z ~ N(0, I_2),  x = W z + b + sigma * eps,  eps ~ N(0, I_4)
// W = Q diag(s) with orthonormal columns Q, so W^T W = diag(s^2) and the exact posterior
// N(Sigma W^T (x - b) / sigma^2, Sigma), Sigma = (I + W^T W / sigma^2)^-1, is diagonal.
import * as tf from '@tensorflow/tfjs-core';
import { Independent, Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { gaussianLikelihood } from '../src/index.js';

export const LATENT = 2;
export const DATA = 4;
export const SIGMA = 0.5;
const Q = [
  [0.5, 0.5],
  [0.5, -0.5],
  [0.5, 0.5],
  [0.5, -0.5],
];
export const S = [2, 1];
export const W64 = Q.map((row) => row.map((v, j) => v * S[j])); // [4, 2]
export const B64 = [0.1, -0.2, 0.3, 0];
export const X64 = [
  [1.2, -0.4, 2.0, 0.3],
  [-0.5, 0.8, -1.1, 0.2],
  [0.0, 0.0, 0.5, -0.6],
];

/** log N(x; b, W W^T + sigma^2 I) in float64 by a Cholesky factorization of the 4x4 covariance. */
export function logMarginal64(x: number[]): number {
  const n = DATA;
  const c = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => W64[i].reduce((a, w, k) => a + w * W64[j][k], 0) + (i === j ? SIGMA ** 2 : 0)),
  );
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = c[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
    }
  }
  const r = x.map((v, i) => v - B64[i]);
  const y = new Array<number>(n).fill(0); // L y = r
  for (let i = 0; i < n; i++) {
    let s = r[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const logDet = 2 * l.reduce((a, row, i) => a + Math.log(row[i]), 0);
  return -0.5 * (y.reduce((a, v) => a + v * v, 0) + logDet + n * Math.log(2 * Math.PI));
}

/** The same log p(x) from the eigen-decomposition (eigenvalues s_j^2 + sigma^2 along Q, sigma^2 elsewhere). */
export function logMarginalEigen64(x: number[]): number {
  const r = x.map((v, i) => v - B64[i]);
  const rr = r.reduce((a, v) => a + v * v, 0);
  let quad = 0;
  let inSpan = 0;
  let logDet = (DATA - LATENT) * Math.log(SIGMA ** 2);
  for (let j = 0; j < LATENT; j++) {
    const proj = r.reduce((a, v, i) => a + v * Q[i][j], 0);
    quad += proj ** 2 / (S[j] ** 2 + SIGMA ** 2);
    inSpan += proj ** 2;
    logDet += Math.log(S[j] ** 2 + SIGMA ** 2);
  }
  quad += (rr - inSpan) / SIGMA ** 2;
  return -0.5 * (quad + logDet + DATA * Math.log(2 * Math.PI));
}

/** The exact posterior's mean and standard deviation for x (float64). */
export function exactPosterior64(x: number[]): { mean: number[]; std: number[] } {
  const variance = S.map((s) => 1 / (1 + (s * s) / SIGMA ** 2));
  const mean = variance.map((v, j) => (v * x.reduce((a, xi, i) => a + W64[i][j] * (xi - B64[i]), 0)) / SIGMA ** 2);
  return { mean, std: variance.map(Math.sqrt) };
}

/** The exact ELBO of the diagonal posterior N(m, diag(sd^2)) for x under the standard normal prior (float64). */
export function elbo64(x: number[], m: number[], sd: number[]): { elbo: number; reconstruction: number; kl: number } {
  const mean = x.map((_, i) => W64[i].reduce((a, w, j) => a + w * m[j], B64[i]));
  const residual = x.reduce((a, xi, i) => a + (xi - mean[i]) ** 2, 0);
  const trace = W64.reduce((a, row) => a + row.reduce((b, w, j) => b + w * w * sd[j] ** 2, 0), 0);
  const reconstruction = -0.5 * DATA * Math.log(2 * Math.PI * SIGMA ** 2) - (residual + trace) / (2 * SIGMA ** 2);
  const kl = m.reduce((a, mj, j) => a + 0.5 * (sd[j] ** 2 + mj ** 2 - 1 - 2 * Math.log(sd[j])), 0);
  return { elbo: reconstruction - kl, reconstruction, kl };
}

/** The decoder p(x | z) = N(W z + b, sigma^2 I) for latents of shape [S, B, 2], with the weights given. */
export function makeLikelihood(w: tf.Tensor, b: tf.Tensor) {
  return (z: tf.Tensor): Distribution => {
    const [s, batch] = z.shape;
    const mean = tf.add(tf.reshape(tf.matMul(tf.reshape(z, [-1, LATENT]), w, false, true), [s, batch, DATA]), b);
    return gaussianLikelihood(mean, { scale: SIGMA });
  };
}

/** A diagonal Gaussian posterior Independent(Normal(loc, scale), 1) with batch [B], event [2]. */
export function diagonalPosterior(loc: tf.Tensor | number[][], scale: tf.Tensor | number[][]): Distribution {
  return new Independent({ distribution: new Normal({ loc, scale, validateArgs: false }), reinterpretedBatchNdims: 1 });
}
