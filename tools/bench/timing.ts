// Timing for the packages' benchmark scripts (packages/*/bench/*.ts, run with tsx by each
// package's `bench` script), which import it by relative path as the fixture generators import
// tools/fixtures: plain functions, so that a benchmark never loads a test framework.
import * as tf from '@tensorflow/tfjs-core';
import { median } from './median.mjs';

/**
 * Milliseconds per run of `fn`, the median of `repeats` runs. Each run reads back and then frees
 * the tensors `fn` returns, so that it times the computation, not only its dispatch.
 */
export function medianMs(repeats: number, fn: () => tf.Tensor | tf.Tensor[]): number {
  const runs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const out = fn();
    const list = Array.isArray(out) ? out : [out];
    list.forEach((t) => t.dataSync());
    tf.dispose(list);
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

/** Milliseconds per call of `fn`, over at least `minMs` after a warm-up of `warmup` calls. */
export function msPerCall(fn: () => void, minMs = 300, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  let reps = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    reps++;
  }
  return (performance.now() - start) / reps;
}
