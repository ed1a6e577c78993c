import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareClose, expectClose, expectFinite, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { HypersphericalUniform, VonMisesFisher } from './index.js';

// log|S^{d-1}| from the mpmath fixture of the von Mises-Fisher tests (computed there at 50 digits).
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/von_mises_fisher.json'), 'utf8')) as {
  uniform: { d: number; logArea: number }[];
};

describe('HypersphericalUniform', () => {
  it('logProb = -log|S^{d-1}| and entropy = log|S^{d-1}| (mpmath), d = ambient dimension', () => {
    let ordinary = 0;
    let extreme = 0;
    for (const { d, logArea } of fixture.uniform) {
      const u = new HypersphericalUniform({ dim: d });
      expect(u.eventShape).toEqual([d]);
      const x = u.sample([3], d);
      const lp = u.logProb(x);
      expectClose(lp, [-logArea, -logArea, -logArea], { rtol: 1e-6, label: `logProb d=${d}` });
      expectClose(u.entropy(), logArea, { rtol: 1e-6, label: `entropy d=${d}` });
      const r = compareClose(lp, -logArea, { rtol: 0, atol: 0 }).maxRelativeError;
      if (d >= 256) extreme = Math.max(extreme, r);
      else ordinary = Math.max(ordinary, r);
    }
    // Closed forms: the circle (2 pi) and the sphere in R^3 (4 pi).
    expectClose(new HypersphericalUniform({ dim: 2 }).entropy(), Math.log(2 * Math.PI), { rtol: 1e-7 });
    expectClose(new HypersphericalUniform({ dim: 3 }).entropy(), Math.log(4 * Math.PI), { rtol: 1e-7 });
    console.log(
      `[HypersphericalUniform] logProb/entropy worst rel err vs mpmath: ordinary ${ordinary.toExponential(
        1,
      )}, extreme ${extreme.toExponential(1)}`,
    );
  });

  it('equals the von Mises-Fisher law at kappa = 0', () => {
    const u = new HypersphericalUniform({ dim: 5 });
    const vmf = new VonMisesFisher({ meanDirection: [0, 0, 0, 0, 1], concentration: 0 });
    const x = u.sample([4], 2);
    expectClose(u.logProb(x), vmf.logProb(x), { rtol: 1e-6 });
    expectClose(u.entropy(), vmf.entropy(), { rtol: 1e-6 });
  });

  it('Monte Carlo: unit samples with mean 0, coordinate variance 1/d, E[x_1^4] = 3 / (d (d + 2))', () => {
    const d = 4;
    const n = 20000;
    const u = new HypersphericalUniform({ dim: d });
    const x = u.sample([n], 5);
    expectClose(tf.norm(x, 'euclidean', -1), tf.ones([n]), { atol: 1e-5 });
    const cols = tf.unstack(x, 1).map((t) => t.dataSync());
    const mean = u.mean().dataSync();
    const variance = u.variance().dataSync();
    for (let i = 0; i < d; i++) {
      const s = summarize(cols[i]);
      expectWithinStandardErrors(s.mean, mean[i], s.standardError, { label: `mean[${i}]` });
      const sq = summarize(Array.from(cols[i], (v) => v * v));
      expectWithinStandardErrors(sq.mean, variance[i], sq.standardError, { label: `variance[${i}]` });
    }
    const q = summarize(Array.from(cols[0], (v) => v ** 4));
    expectWithinStandardErrors(q.mean, 3 / (d * (d + 2)), q.standardError, { label: 'fourth moment' });
  });

  it.each([
    [{ dim: 3 }, [], [2], [2, 3]],
    [{ dim: 2, batchShape: [4] }, [4], [], [4, 2]],
    [{ dim: 6, batchShape: [2, 3] }, [2, 3], [5], [5, 2, 3, 6]],
  ])('%j: batchShape %j, sample(%j) -> %j', (params, batchShape, sampleShape, out) => {
    const u = new HypersphericalUniform(params);
    expect(u.batchShape).toEqual(batchShape);
    const x = u.sample(sampleShape, 1);
    expect(x.shape).toEqual(out);
    expect(u.logProb(x).shape).toEqual(out.slice(0, -1));
    expect(u.entropy().shape).toEqual(batchShape);
    expect(u.mean().shape).toEqual([...batchShape, params.dim]);
    expect(u.rsample(sampleShape, 1).shape).toEqual(out);
  });

  it('validation, -Infinity off the sphere, no mode, determinism', () => {
    expect(() => new HypersphericalUniform({ dim: 1 })).toThrow(
      'HypersphericalUniform: dim must be an integer >= 2 (the ambient dimension d of S^{d-1} in R^d); got 1',
    );
    expect(() => new HypersphericalUniform({ dim: 2.5 })).toThrow(/dim must be an integer >= 2/);
    expect(() => new HypersphericalUniform({ dim: 3, batchShape: [-1] })).toThrow(/batchShape must be a list of non-negative integers/);
    const u = new HypersphericalUniform({ dim: 3 });
    expect(() => u.logProb([1, 1, 0])).toThrow(/HypersphericalUniform: value must be in the support: a unit vector/);
    expect(() => u.mode()).toThrow(/HypersphericalUniform does not define mode\(\)/);
    const loose = new HypersphericalUniform({ dim: 3, validateArgs: false });
    const lp = loose
      .logProb([
        [1, 1, 0],
        [NaN, 0, 0],
        [0, 0, 1],
      ])
      .arraySync() as number[];
    expect(lp.slice(0, 2)).toEqual([-Infinity, -Infinity]);
    expectFinite(lp[2]);
    expectClose(u.sample([3], 7), u.sample([3], 7), { rtol: 0, atol: 0 });
  });

  it('every public method is memory-neutral', async () => {
    const u = new HypersphericalUniform({ dim: 3, batchShape: [2] });
    for (const [name, call] of Object.entries({
      sample: () => u.sample([3], 1),
      rsample: () => u.rsample([3], 1),
      logProb: () => u.logProb([0, 0, 1]),
      prob: () => u.prob([0, 0, 1]),
      entropy: () => u.entropy(),
      mean: () => u.mean(),
      variance: () => u.variance(),
      stddev: () => u.stddev(),
      construct: () => new HypersphericalUniform({ dim: 4, batchShape: [2] }).dispose(),
    })) {
      await expectMemoryNeutral(call, `HypersphericalUniform.${name}`);
    }
  });
});
