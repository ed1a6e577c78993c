// Throughput of @vae/math's special functions on the cpu and wasm backends: elements per second,
// forward and forward + gradient, for sizes 1e3 .. 1e6. Run with `npm run bench` (tsx).
// Each figure is the best of a few runs; per-op and global time budgets skip the largest sizes of
// the slowest ops (printed as skipped) so the whole script stays under about two minutes.
import * as tf from '@tensorflow/tfjs-core';
// The union package registers the cpu backend and every op's gradient; wasm registers itself.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  besselIRatio,
  digamma,
  expm1,
  igamma,
  lgamma,
  log1mexp,
  log1p,
  logAddExp,
  logBesselI,
  logBeta,
  logNdtr,
  logSigmoid,
  logSumExp,
  ndtr,
  ndtri,
  silenceNodeBackendAdvice,
  softplus,
  softplusInverse,
  trigamma,
  xlog1py,
  xlogy,
} from '../src/index.js';

interface Case {
  name: string;
  /** Maps uniform(0, 1) noise u to the op's input range. */
  input: (u: tf.Tensor) => tf.Tensor;
  op: (x: tf.Tensor) => tf.Tensor;
}

const second = (u: tf.Tensor): tf.Tensor => tf.reverse(u);

const CASES: Case[] = [
  { name: 'lgamma', input: (u) => tf.sub(tf.mul(u, 60), 10), op: (x) => lgamma(x) },
  { name: 'digamma', input: (u) => tf.sub(tf.mul(u, 60), 10), op: (x) => digamma(x) },
  { name: 'trigamma', input: (u) => tf.sub(tf.mul(u, 60), 10), op: (x) => trigamma(x) },
  { name: 'logBeta', input: (u) => tf.add(tf.mul(u, 50), 0.01), op: (x) => logBeta(x, tf.add(second(x), 1)) },
  // Against tfjs's own kernels: on wasm, log1p is the formula (tf.log1p is log(1 + x) there) and
  // expm1 the backend's kernel (accurate); on cpu both are the backend's kernels.
  { name: 'log1p', input: (u) => tf.sub(tf.mul(u, 10), 0.99), op: (x) => log1p(x) },
  { name: 'tf.log1p (inaccurate)', input: (u) => tf.sub(tf.mul(u, 10), 0.99), op: (x) => tf.log1p(x) },
  { name: 'expm1', input: (u) => tf.sub(tf.mul(u, 20), 10), op: (x) => expm1(x) },
  { name: 'softplus', input: (u) => tf.sub(tf.mul(u, 200), 100), op: (x) => softplus(x) },
  { name: 'softplusInverse', input: (u) => tf.add(tf.mul(u, 50), 1e-3), op: (x) => softplusInverse(x) },
  { name: 'logSigmoid', input: (u) => tf.sub(tf.mul(u, 200), 100), op: (x) => logSigmoid(x) },
  { name: 'log1mexp', input: (u) => tf.add(tf.mul(u, 20), 1e-3), op: (x) => log1mexp(x) },
  { name: 'logAddExp', input: (u) => tf.sub(tf.mul(u, 20), 10), op: (x) => logAddExp(x, second(x)) },
  { name: 'logSumExp(rows of 100)', input: (u) => tf.sub(tf.mul(u, 20), 10), op: (x) => logSumExp(tf.reshape(x, [-1, 100]), 1) },
  { name: 'ndtr', input: (u) => tf.sub(tf.mul(u, 20), 10), op: (x) => ndtr(x) },
  { name: 'logNdtr', input: (u) => tf.sub(tf.mul(u, 60), 40), op: (x) => logNdtr(x) },
  { name: 'ndtri', input: (u) => tf.add(tf.mul(u, 0.998), 1e-3), op: (x) => ndtri(x) },
  { name: 'xlogy', input: (u) => tf.add(u, 1e-3), op: (x) => xlogy(x, second(x)) },
  { name: 'xlog1py', input: (u) => tf.add(u, 1e-3), op: (x) => xlog1py(x, second(x)) },
  { name: 'igamma (a = 0.1..20)', input: (u) => tf.add(tf.mul(u, 30), 1e-3), op: (x) => igamma(tf.add(tf.mul(second(x), 0.66), 0.1), x) },
  // The Bessel ops of bessel.ts (order v = 0..20 against x; gradient in x).
  { name: 'logBesselI', input: (u) => tf.add(tf.mul(u, 50), 1e-3), op: (x) => logBesselI(tf.mul(second(x), 0.4), x) },
  { name: 'besselIRatio', input: (u) => tf.add(tf.mul(u, 50), 1e-3), op: (x) => besselIRatio(tf.mul(second(x), 0.4), x) },
];

const SIZES = [1e3, 1e4, 1e5, 1e6];
/** Repeat a measurement until this many milliseconds have passed (at most MAX_REPS times). */
const MIN_MS = 30;
const MAX_REPS = 5;
/** Per op and backend: a size is skipped when 10x the previous size's time would exceed this. */
const OP_BUDGET_MS = 5000;
/** Per backend: later measurements are skipped past this, so the script ends in about 2 minutes. */
const BACKEND_BUDGET_MS = 50_000;
const started = performance.now();

/** Best milliseconds of `run`, repeating until MIN_MS have passed. */
function bestTime(run: () => void): { best: number; spent: number } {
  let best = Infinity;
  let spent = 0;
  for (let reps = 0; reps < MAX_REPS && (spent < MIN_MS || reps < 1); reps++) {
    const t0 = performance.now();
    run();
    const dt = performance.now() - t0;
    best = Math.min(best, dt);
    spent += dt;
  }
  return { best, spent };
}

const format = (n: number, ms: number): string => ((n / ms) * 1000).toExponential(2);

async function main(): Promise<void> {
  const header = `${'op'.padEnd(24)} ${'backend'.padEnd(7)} ${'size'.padStart(8)} ${'forward el/s'.padStart(13)} ${'fwd+grad el/s'.padStart(
    14,
  )}`;
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    silenceNodeBackendAdvice();
    console.log(`\n# backend ${backend}\n${header}`);
    const backendStart = performance.now();
    for (const c of CASES) {
      const opStart = performance.now();
      let lastMs = 0;
      for (const n of SIZES) {
        const opSpent = performance.now() - opStart;
        const skip =
          performance.now() - backendStart > BACKEND_BUDGET_MS
            ? 'backend time budget'
            : n > SIZES[0] && opSpent + 10 * lastMs > OP_BUDGET_MS
              ? 'per-op time budget'
              : '';
        if (skip) {
          console.log(`${c.name.padEnd(24)} ${backend.padEnd(7)} ${String(n).padStart(8)}   skipped (${skip})`);
          continue;
        }
        const x = tf.tidy(() => c.input(tf.randomUniform([n], 0, 1, 'float32', 42)));
        const forwardRun = (): void => {
          const y = tf.tidy(() => c.op(x)); // the tidy frees the case's own argument tensors
          y.dataSync();
          y.dispose();
        };
        const gradRun = (): void => {
          const g = tf.grad((t: tf.Tensor) => c.op(t))(x);
          g.dataSync();
          g.dispose();
        };
        if (n === SIZES[0]) {
          forwardRun(); // warm-up: kernels, wasm, custom-gradient closures
          gradRun();
        }
        const forward = bestTime(forwardRun);
        const grad = bestTime(gradRun);
        x.dispose();
        lastMs = forward.best + grad.best;
        console.log(
          `${c.name.padEnd(24)} ${backend.padEnd(7)} ${String(n).padStart(8)} ${format(n, forward.best).padStart(13)} ${format(
            n,
            grad.best,
          ).padStart(14)}`,
        );
      }
    }
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s, ${tf.memory().numTensors} tensors alive`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
