// The browser side of `npm run test:browser`: every backend the app wants is imported here (the
// way an app does), and the page exposes the suite to the runner.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '@vae/backends';
import type { BackendPreference } from '@vae/backends';
import { CHECKS } from './checks.js';
import { runChecks } from './harness.js';

setWasmPaths(new URL('./', location.href).href);

(globalThis as Record<string, unknown>).vaeSuite = {
  checkNames: CHECKS.map((c) => c.name),
  async select(preference: BackendPreference) {
    try {
      return { selected: await selectBackend(preference) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  },
  run: () => runChecks(CHECKS),
};
