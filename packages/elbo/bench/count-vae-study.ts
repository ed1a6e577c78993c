// Runs the count-data study (bench/count-vae.ts) over three seeds for both likelihoods and prints
// the table that docs/guides/likelihoods.md reports. Run from packages/elbo:
//   npx tsx bench/count-vae-study.ts            (the full study: 2000 cells, 100 genes, 600 steps)
//   npx tsx bench/count-vae-study.ts --steps 300 (shorter)
// The wasm backend: about five minutes on a quiet machine.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_COUNT_STUDY, runCountStudy } from './count-vae.js';
import type { CountLikelihood, CountStudyResult } from './count-vae.js';

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const stepsFlag = process.argv.indexOf('--steps');
  const steps = stepsFlag >= 0 ? Number(process.argv[stepsFlag + 1]) : DEFAULT_COUNT_STUDY.steps;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer; got ${process.argv[stepsFlag + 1]}`);
  const rows: CountStudyResult[] = [];
  console.log(
    `cells ${DEFAULT_COUNT_STUDY.cells}, genes ${DEFAULT_COUNT_STUDY.genes}, steps ${steps}, batch ${DEFAULT_COUNT_STUDY.batchSize}`,
  );
  console.log('| seed | likelihood | latent R^2 (held-out) | MAE of log1p mean (held-out) | final loss | seconds |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const seedsFlag = process.argv.indexOf('--seeds');
  const seeds = seedsFlag >= 0 ? process.argv[seedsFlag + 1].split(',').map(Number) : [1, 2, 3];
  for (const seed of seeds) {
    for (const likelihood of ['zinb', 'gaussian'] as CountLikelihood[]) {
      const r = runCountStudy(likelihood, { seed, steps });
      rows.push(r);
      console.log(
        `| ${seed} | ${likelihood} | ${r.latentR2.toFixed(3)} | ${r.meanAbsLogError.toFixed(3)} | ${r.finalLoss.toFixed(1)} | ${r.seconds.toFixed(1)} |`,
      );
    }
  }
  for (const likelihood of ['zinb', 'gaussian'] as CountLikelihood[]) {
    const mine = rows.filter((r) => r.likelihood === likelihood);
    const mean = (f: (r: CountStudyResult) => number) => mine.reduce((s, r) => s + f(r), 0) / mine.length;
    console.log(
      `| mean | ${likelihood} | ${mean((r) => r.latentR2).toFixed(3)} | ${mean((r) => r.meanAbsLogError).toFixed(3)} | | ${mean((r) => r.seconds).toFixed(1)} |`,
    );
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
