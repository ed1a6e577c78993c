// The Node reference of `npm run test:browser`: the same checks on the cpu backend (registered by
// @tensorflow/tfjs, which the reference model imports).
import * as tf from '@tensorflow/tfjs-core';
import { CHECKS } from './checks.js';
import { runChecks } from './harness.js';
import type { CheckResult } from './harness.js';

export async function runReference(): Promise<CheckResult[]> {
  await tf.setBackend('cpu');
  return runChecks(CHECKS);
}
