// The finite-difference check of logProb's gradients that the two-parameter scalar families' tests share.
import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose } from '@vae/testing';
import type { Distribution } from '@vae/distributions';

/**
 * Asserts the gradient of `make(...params).logProb(x)` in each parameter and in the value against
 * float64 central differences of `logPdf64(x, ...params)` (rtol 1e-4, atol 1e-5).
 */
export function expectLogProbGradientsMatch(
  make: (...params: tf.Tensor[]) => Distribution,
  logPdf64: (x: number, ...params: number[]) => number,
  params: number[],
  x: number,
): void {
  const g = tf.grads((...t: tf.Tensor[]) => make(...t.slice(0, -1)).logProb(t[t.length - 1]))([...params, x].map((v) => tf.scalar(v)));
  const tolerance = { rtol: 1e-4, atol: 1e-5 };
  params.forEach((p, i) => {
    const along = (t: number) => logPdf64(x, ...params.map((q, j) => (j === i ? t : q)));
    expectClose(g[i], derivative64(along, p), { ...tolerance, label: `d logProb / d parameter ${i}` });
  });
  expectClose(
    g[params.length],
    derivative64((t) => logPdf64(t, ...params), x),
    { ...tolerance, label: 'd logProb / d value' },
  );
}
