// The browser side of `npm run test:browser`: every backend the app wants is imported here (the
// way an app does), and the page exposes the suite to the runner.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@vae/backends';
import type { BackendPreference } from '@vae/backends';
import { CHECKS } from './checks.js';
import { runChecks } from './harness.js';
import { timeTrainingSteps } from './step-timing.js';

setWasmPaths(new URL('./', location.href).href);

(globalThis as Record<string, unknown>).vaeSuite = {
  checkNames: CHECKS.map((c) => c.name),
  async select(preference: BackendPreference, fastWasmKernels = true) {
    try {
      return { selected: await selectBackend(preference, { fastWasmKernels }) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  },
  // The two ways the packages read tensors back: synchronously (dataSync, which argument
  // validation, the accuracy probes of @vae/math and the training step's one read-back use) and
  // asynchronously (data). log1p is a kernel the packages probe at first use.
  async probeReads() {
    const out: Record<string, string> = {};
    const fresh = () => tf.log1p(tf.tensor1d([0.5, 3, 7]));
    for (const how of ['sync', 'async'] as const) {
      const t = fresh();
      try {
        out[how] = Array.from(how === 'sync' ? t.dataSync() : await t.data(), (v) => v.toPrecision(5)).join(', ');
      } catch (e) {
        out[how] = `error: ${e instanceof Error ? e.message : String(e)}`;
      }
      t.dispose();
    }
    return out;
  },
  run: () => runChecks(CHECKS),
  timeSteps: (posterior: 'normal' | 'vmf', batch: number, steps: number) => timeTrainingSteps(posterior, batch, steps),
};
