// Runs the checks on the active backend and reports plain data (no tensors) that the Node runner
// compares across backends: values, whether each check left tensors behind, and whether a second
// run with the same seeds gave the same numbers.
import * as tf from '@tensorflow/tfjs-core';
import type { Check } from './checks.js';

/** One named output of a check, as plain data. */
export type OutputValue = { shape: number[]; values: number[] } | { text: string };

/** What one check gave on one backend. */
export interface CheckResult {
  name: string;
  toleranceScale: number;
  outputs?: Record<string, OutputValue>;
  /** Tensors alive after the check minus before (0 when memory-neutral). */
  leakedTensors?: number;
  /** Output names whose second run differed from the first (same seeds). */
  notReproducible?: string[];
  error?: string;
  ms?: number;
}

async function runOnce(check: Check): Promise<{ outputs: Record<string, OutputValue>; leaked: number }> {
  const before = tf.memory().numTensors;
  // The tidy frees what the check made along the way (parameters, intermediate results), so a
  // leak counted below is one of the library's, not of the check's own bookkeeping.
  const raw = tf.tidy(() => check.run());
  const outputs: Record<string, OutputValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') outputs[key] = { text: value };
    else {
      // NaN and Infinity become null on the way to Node (JSON), so they fail the comparison.
      outputs[key] = { shape: value.shape, values: Array.from(await value.data()) };
      value.dispose();
    }
  }
  return { outputs, leaked: tf.memory().numTensors - before };
}

/** Runs every check twice on the active backend. */
export async function runChecks(checks: Check[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result: CheckResult = { name: check.name, toleranceScale: check.toleranceScale ?? 1 };
    const start = performance.now();
    try {
      const first = await runOnce(check);
      const second = await runOnce(check);
      result.outputs = first.outputs;
      result.leakedTensors = Math.max(first.leaked, second.leaked);
      result.notReproducible = Object.keys(first.outputs).filter(
        (k) => JSON.stringify(first.outputs[k]) !== JSON.stringify(second.outputs[k]),
      );
    } catch (e) {
      result.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    result.ms = performance.now() - start;
    results.push(result);
  }
  return results;
}
