import * as tf from '@tensorflow/tfjs';
import { expectFinite, expectMemoryNeutral, useBackend } from '@vae/testing';
import { MaskedAutoregressive } from '@vae/distributions';
import { MnistVae, resolveVaeConfig } from './model.js';

useBackend('wasm');

describe('MnistVae', () => {
  it('has the seed architecture: 784-256-64-32 encoder, z-32-64-256-784 decoder', () => {
    const vae = new MnistVae({ seed: 1 });
    // A dense stack through the widths [a, b, c, ...] has the kernel shapes [[a, b], [b, c], ...].
    const kernelShapes = (widths: number[]) => widths.slice(1).map((width, i) => [widths[i], width]);
    expect(vae.encoder.map((l) => l.kernel.shape)).toEqual(kernelShapes([784, 256, 64, 32, 4]));
    expect(vae.encoder.map((l) => l.activation)).toEqual(['elu', 'elu', 'elu', 'linear']);
    expect(vae.decoder.map((l) => l.kernel.shape)).toEqual(kernelShapes([2, 32, 64, 256, 784]));
    expect(vae.decoder.map((l) => l.activation)).toEqual(['linear', 'elu', 'elu', 'linear']);
    const params = vae.trainableVariables.reduce((n, v) => n + v.size, 0);
    expect(params).toBe(
      784 * 256 + 256 + 256 * 64 + 64 + 64 * 32 + 32 + 32 * 4 + 4 + 2 * 32 + 32 + 32 * 64 + 64 + 64 * 256 + 256 + 256 * 784 + 784,
    );
    vae.dispose();
  });

  it('computes the analytic KL of the seed formula, -1/2 sum(1 + log s^2 - m^2 - s^2), and ELBO = recon - KL', async () => {
    const vae = new MnistVae({ seed: 2 });
    const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([5, 784], 0, 1, 'float32', 3), 0.7), 'float32'));
    const terms = vae.elboTerms(x, { seed: 4 });
    const expected = tf.tidy(() => {
      let h: tf.Tensor = x;
      for (const layer of vae.encoder) {
        h = tf.add(tf.matMul(h, layer.kernel), layer.bias);
        if (layer.activation === 'elu') h = tf.elu(h);
      }
      const [mu, logVar] = tf.split(h, 2, -1);
      return tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)), -1));
    });
    const kl = terms.kl.dataSync();
    expected.dataSync().forEach((v, i) => expect(kl[i]).toBeCloseTo(v, 4));
    terms.elbo.dataSync().forEach((v, i) => expect(v).toBeCloseTo(terms.reconstruction.dataSync()[i] - kl[i], 3));
    // The Monte Carlo KL from many samples agrees with the closed form.
    const mc = vae.elboTerms(x, { kl: 'monteCarlo', numSamples: 1000, seed: 5 });
    mc.kl.dataSync().forEach((v, i) => expect(Math.abs(v - kl[i])).toBeLessThan(0.2 + 0.1 * Math.abs(kl[i])));
    await expectMemoryNeutral(() => vae.elboTerms(x, { seed: 1 }), 'elboTerms');
    await expectMemoryNeutral(() => vae.loss(x, { seed: 1, beta: 0.5 }), 'loss');
    tf.dispose([x, expected, terms, mc] as never);
    vae.dispose();
  });

  it('gives spherical posteriors unit-vector samples and the uniform prior', () => {
    for (const posterior of ['vmf', 'power-spherical'] as const) {
      const vae = new MnistVae({ posterior, latentDim: 3, seed: 3 });
      const z = tf.tidy(() => vae.encode(tf.ones([4, 784])).sample([2], 1));
      expect(z.shape).toEqual([2, 4, 3]);
      tf.tidy(() => tf.norm(z, 'euclidean', -1).dataSync()).forEach((n) => expect(n).toBeCloseTo(1, 4));
      expect(vae.config.prior).toBe('spherical');
      z.dispose();
      vae.dispose();
    }
  });

  it('trains flow posteriors (iaf, planar, radial, householder) and the flow prior through the Monte Carlo ELBO and IWAE', async () => {
    const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([3, 784], 0, 1, 'float32', 5), 0.5), 'float32'));
    // One householder reflection is the case tfjs's unstack gradient cannot take (a lone output).
    for (const [posterior, prior, flowSteps] of [
      ['iaf', 'standard', 2],
      ['planar', 'flow', 2],
      ['radial', 'standard', 2],
      ['householder', 'learned', 1],
    ] as const) {
      const vae = new MnistVae({ posterior, prior, latentDim: 3, flowSteps, seed: 1 });
      const flowVars = vae.namedWeights().filter((w) => w.name.startsWith('posterior-flow/'));
      expect(flowVars.length).toBeGreaterThan(0);
      const { value, grads } = tf.variableGrads(() => vae.loss(x, { seed: 2 }).loss, vae.trainableVariables);
      expectFinite(value);
      for (const g of Object.values(grads)) expectFinite(g);
      const flowGrad = tf.tidy(() => tf.max(tf.abs(grads[flowVars[flowVars.length - 1].tensor.name])).dataSync()[0]);
      expect(flowGrad).toBeGreaterThan(0);
      const terms = tf.tidy(() => vae.elboTerms(x, { seed: 2 }));
      // The KL is the Monte Carlo estimate log q(z|x) - log p(z) at one sample: not the analytic one, and finite.
      expectFinite(terms.kl);
      expectFinite(vae.iwaeBound(x, 4, 1));
      await expectMemoryNeutral(() => tf.tidy(() => vae.elboTerms(x, { seed: 2 }).elbo), `${posterior} elboTerms`);
      tf.dispose([value, ...Object.values(grads), terms.elbo, terms.kl, terms.reconstruction]);
      vae.dispose();
    }
    x.dispose();
    expect(() => resolveVaeConfig({ posterior: 'iaf', flowSteps: 0 })).toThrow(/flowSteps must be an integer >= 1/);
    expect(() => resolveVaeConfig({ posterior: 'iaf', flowHiddenUnits: 2.5 })).toThrow(/flowHiddenUnits must be an integer >= 0/);
    const wide = new MnistVae({ posterior: 'iaf', latentDim: 3, flowHiddenUnits: 7, seed: 1 });
    expect((wide.flowSteps[0] as MaskedAutoregressive).hiddenUnits).toBe(7);
    wide.dispose();
    expect(() => resolveVaeConfig({ posterior: 'vmf', prior: 'flow', latentDim: 3 })).toThrow(/prior must be 'spherical'/);
  });

  it('rejects bad configurations by name', () => {
    expect(() => resolveVaeConfig({ latentDim: 0 })).toThrow(/latentDim must be an integer >= 1/);
    expect(() => resolveVaeConfig({ posterior: 'vmf', latentDim: 1 })).toThrow(/latentDim must be an integer >= 2/);
    expect(() => resolveVaeConfig({ posterior: 'vmf', prior: 'standard' })).toThrow(/prior must be 'spherical'/);
    expect(() => resolveVaeConfig({ prior: 'spherical' })).toThrow(/spherical prior needs --posterior vmf/);
    expect(() => resolveVaeConfig({ posterior: 'gamma' as never })).toThrow(
      /posterior must be one of normal, vmf, power-spherical, iaf, planar, radial, householder/,
    );
  });
});
