// The finite-difference check of logProb's and logCdf's gradients that the scalar families' tests share.
import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose } from '@vae/testing';
import type { Distribution } from '@vae/distributions';

/** What {@link expectLogProbGradientsMatch} differentiates, and how closely. */
export interface GradientCheckOptions {
  /** The method whose gradients are checked (default `logProb`). */
  method?: 'logProb' | 'logCdf';
  /** Absolute tolerance next to rtol 1e-4 (default 1e-5; 0 for a purely relative check). */
  atol?: number;
}

/**
 * Asserts the gradient of `make(...params)[method](x)` in each parameter and in the value against
 * float64 central differences of `f64(x, ...params)` (rtol 1e-4, atol 1e-5 unless `options.atol`).
 */
export function expectLogProbGradientsMatch(
  make: (...params: tf.Tensor[]) => Distribution,
  f64: (x: number, ...params: number[]) => number,
  params: number[],
  x: number,
  options: GradientCheckOptions = {},
): void {
  const method = options.method ?? 'logProb';
  const g = tf.grads((...t: tf.Tensor[]) => make(...t.slice(0, -1))[method](t[t.length - 1]))([...params, x].map((v) => tf.scalar(v)));
  const tolerance = { rtol: 1e-4, atol: options.atol ?? 1e-5 };
  params.forEach((p, i) => {
    const along = (t: number) => f64(x, ...params.map((q, j) => (j === i ? t : q)));
    expectClose(g[i], derivative64(along, p), { ...tolerance, label: `d ${method} / d parameter ${i}` });
  });
  expectClose(
    g[params.length],
    derivative64((t) => f64(t, ...params), x),
    { ...tolerance, label: `d ${method} / d value` },
  );
  tf.dispose(g);
}
