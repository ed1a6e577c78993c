import * as tf from '@tensorflow/tfjs';
import { evaluateVae, exactLogLikelihood2d, latentGrid } from './evaluate.js';
import { MnistVae } from './model.js';
import { useBackend } from '@vae/testing';

function zeroDecoder(vae: MnistVae): void {
  for (const layer of vae.decoder) {
    layer.kernel.assign(tf.zerosLike(layer.kernel));
    layer.bias.assign(tf.zerosLike(layer.bias));
  }
}

useBackend('wasm');

describe('numerical integration over a 2-d latent', () => {
  it('uses cells that add up to the box area and to 4 pi', () => {
    const plane = latentGrid('plane', 50, 3);
    expect(plane.logMeasure.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(36, 8);
    const sphere = latentGrid('sphere', 60);
    expect(sphere.logMeasure.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(4 * Math.PI, 2); // the midpoint rule's O(h^2) error: 1.4e-3
    for (let i = 0; i < sphere.points.length; i += 3) {
      const n = Math.hypot(sphere.points[i], sphere.points[i + 1], sphere.points[i + 2]);
      expect(Math.abs(n - 1)).toBeLessThan(1e-6);
    }
  });

  it('recovers the closed form when the decoder ignores z: log p(x) = 784 log(1/2)', () => {
    const images = new Float32Array(3 * 784).map((_, i) => (i % 3 === 0 ? 1 : 0));
    for (const config of [{ latentDim: 2 }, { latentDim: 3, posterior: 'vmf' as const }]) {
      const vae = new MnistVae({ ...config, seed: 1 });
      zeroDecoder(vae);
      // The standard normal has mass 1 - 4e-9 in [-6, 6]^2 and the uniform prior integrates to 1 on S^2.
      exactLogLikelihood2d(vae, images, 3, 60).forEach((v) => expect(v).toBeCloseTo(784 * Math.log(0.5), 3));
      vae.dispose();
    }
  });

  it('agrees with the importance-sampled estimate, which lies below it on average', async () => {
    const vae = new MnistVae({ seed: 7 });
    const images = new Float32Array(6 * 784).map((_, i) => ((Math.sin(i * 12.9898) * 43758.5453) % 1 > 0.5 ? 1 : 0));
    const before = tf.memory().numTensors;
    const report = await evaluateVae(vae, images, 6, { k: 1000, grid: 100 });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.exact!.geometry).toBe('plane');
    expect(Math.abs(report.exact!.meanDifference)).toBeLessThan(0.5);
    expect(report.exact!.meanDifference).toBeLessThan(0.05);
    expect(report.elbo.elbo).toBeLessThan(report.exact!.mean + 0.05);
    expect(report.logLikelihood.essMean).toBeGreaterThan(1);
    // The posterior summary, cross-checked against the encoder's own outputs.
    const q = vae.encode(tf.tensor2d(images, [6, 784]));
    const means = q.mean().arraySync() as number[][];
    const stds = q.stddev().arraySync() as number[][];
    for (let j = 0; j < 2; j++) {
      const col = means.map((m) => m[j]);
      const mu = col.reduce((a, b) => a + b, 0) / 6;
      const spread = Math.sqrt(col.reduce((a, b) => a + (b - mu) ** 2, 0) / 6);
      expect(report.posterior.spreadOfMeans![j]).toBeCloseTo(spread, 4);
      expect(report.posterior.meanStd![j]).toBeCloseTo(stds.reduce((a, s) => a + s[j], 0) / 6, 4);
    }
    expect(report.posterior.activeUnits).toBe(report.posterior.spreadOfMeans!.filter((v) => v * v > 0.01).length);
    tf.dispose(q as never);
    vae.dispose();
  });

  it('keeps the requested grid size when the latent cloud is wide, widening the cells', async () => {
    const vae = new MnistVae({ seed: 3 });
    // A huge encoder bias puts every code near z = 30: the box widens to cover it, the grid does not grow.
    const last = vae.encoder[vae.encoder.length - 1];
    last.bias.assign(tf.tensor1d([30, 30, 0, 0]));
    const images = new Float32Array(2 * 784);
    const phases = new Set<string>();
    const report = await evaluateVae(vae, images, 2, { k: 50, grid: 30, onProgress: (_d, _t, phase) => phases.add(phase) });
    expect(report.exact!.grid).toEqual([30, 30]);
    expect(report.exact!.box).toBeGreaterThanOrEqual(35);
    expect(report.exact!.warning).toMatch(/cells are \d\.\d wide, more than the narrowest posterior's standard deviation/);
    expect([...phases].sort()).toEqual(['exact', 'log-likelihood']);
    vae.dispose();
  });
});
