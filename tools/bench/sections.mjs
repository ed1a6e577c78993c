// Sections of the benchmark harness beyond training speed. Each takes the harness helpers and
// returns rows for a table. Everything runs on wasm (the default backend where tfjs-node is
// absent) unless a row says otherwise.
import { HypersphericalUniform, Normal, VonMisesFisher } from '@vae/distributions';
import { klDivergence } from '@vae/kl';
import { powerSphericalSample, vonMisesFisherSample } from '@vae/samplers';

function unitVectors(tf, batch, d) {
  return tf.tidy(() => {
    const v = tf.randomNormal([batch, d], 0, 1, 'float32', 5);
    return tf.div(v, tf.norm(v, 'euclidean', -1, true));
  });
}

export const sections = {
  'Spherical samplers, samples per second (batch 1,000, kappa 50)': async ({ tf, rate, onBackend, quick }) => {
    await onBackend('wasm', true);
    const rows = [];
    const batch = 1000;
    for (const d of [3, 64, 512]) {
      const mu = unitVectors(tf, batch, d);
      const kappa = tf.fill([batch], 50);
      const row = { d };
      let seed = 1;
      for (const [name, sampler] of [
        ['vonMisesFisher', vonMisesFisherSample],
        ['powerSpherical', powerSphericalSample],
      ]) {
        const perSecond = rate(
          () => tf.tidy(() => sampler(mu, kappa, [batch], seed++, { validateArgs: false }).dataSync()),
          quick ? 0.5 : 2,
          1,
        );
        row[`${name} samples/s`] = Math.round(perSecond * batch);
      }
      tf.dispose([mu, kappa]);
      rows.push(row);
    }
    return rows;
  },

  'KL evaluations per second (batch of 128 distributions, wasm)': async ({ tf, rate, onBackend, quick }) => {
    await onBackend('wasm', true);
    const batch = 128;
    const rows = [];
    const q = new Normal({ loc: tf.randomNormal([batch, 2]), scale: tf.exp(tf.randomNormal([batch, 2], 0, 0.3)), validateArgs: false });
    const p = new Normal({ loc: 0, scale: 1, validateArgs: false });
    const normalRate = rate(() => tf.tidy(() => klDivergence(q, p).dataSync()), quick ? 0.5 : 2);
    rows.push({
      pair: 'Normal || Normal (batch [128, 2])',
      'evaluations/s': Math.round(normalRate),
      'KL values/s': Math.round(normalRate * batch * 2),
    });
    for (const d of [3, 64, 512]) {
      const mu = unitVectors(tf, batch, d);
      const kappa = tf.randomUniform([batch], 1, 100, 'float32', 3);
      const vmf = new VonMisesFisher({ meanDirection: mu, concentration: kappa, validateArgs: false });
      const uniform = new HypersphericalUniform({ dim: d, validateArgs: false });
      const r = rate(() => tf.tidy(() => klDivergence(vmf, uniform).dataSync()), quick ? 0.5 : 2, 1);
      rows.push({
        pair: `VonMisesFisher || HypersphericalUniform (d = ${d})`,
        'evaluations/s': Math.round(r),
        'KL values/s': Math.round(r * batch),
      });
      tf.dispose([mu, kappa]);
    }
    return rows;
  },
};

sections['Importance-sampled log-likelihood, k = 5000 (reference model, untrained weights, wasm)'] = async ({ tf, onBackend, quick }) => {
  const { logMarginalLikelihood } = await import('@vae/elbo');
  const { loadEmbeddedMnist, testInputs } = await import('@vae/mnist-vae');
  const { createReferenceTrainer } = await import('./reference.mjs');
  await onBackend('wasm', true);
  const digits = quick ? 100 : 1000;
  const test = testInputs((await loadEmbeddedMnist()).test, 'static', digits);
  const { model, dispose } = await createReferenceTrainer();
  // 25 digits at a time, as evaluateVae batches them: one chunk of 250 samples is then
  // 250 x 25 x 784 logits (20 MB) where all 1,000 digits at once would need 784 MB per tensor.
  const digitsPerBatch = 25;
  const prior = model.priorDistribution();
  const start = performance.now();
  let sum = 0;
  for (let first = 0; first < digits; first += digitsPerBatch) {
    const size = Math.min(digitsPerBatch, digits - first);
    const x = tf.tensor2d(test.images.subarray(first * 784, (first + size) * 784), [size, 784]);
    const result = await logMarginalLikelihood(x, {
      encoder: (batch) => model.encode(batch),
      prior,
      likelihood: (z) => model.likelihood(z),
      numSamples: 5000,
      seed: 1 + first,
    });
    sum += result.meanLogLikelihood * size;
    x.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  dispose();
  const result = { meanLogLikelihood: sum / digits };
  return [
    {
      digits,
      k: 5000,
      seconds: +seconds.toFixed(1),
      'digits/s': +(digits / seconds).toFixed(2),
      'mean log p(x)': +result.meanLogLikelihood.toFixed(2),
    },
  ];
};
