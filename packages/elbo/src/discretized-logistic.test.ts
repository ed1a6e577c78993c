import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFinite, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discretizedLogisticMixtureLikelihood } from './index.js';

interface Case {
  name: string;
  logits: number[];
  means: number[];
  logScales: number[];
  levels: number[];
  logProb: number[];
  componentLogProb: number[][];
  gradient: { logits: number[]; means: number[]; logScales: number[] };
}
// Reference values from test/fixtures/generate_discretized_logistic.py (mpmath at 60 digits).
const cases = (JSON.parse(readFileSync(join(__dirname, '../test/fixtures/discretized_logistic.json'), 'utf8')) as { cases: Case[] }).cases;
const LEVELS = Array.from({ length: 256 }, (_, v) => v);

/** log p(v) for each level v, from one mixture: parameters `[K]`, values `[L]`, result `[L]`. */
function logProbAt(
  logits: tf.Tensor | number[],
  means: tf.Tensor | number[],
  logScales: tf.Tensor | number[],
  levels: number[],
): tf.Tensor {
  const p = discretizedLogisticMixtureLikelihood(
    { logits: tf.reshape(logits, [1, -1]), means: tf.reshape(means, [1, -1]), logScales: tf.reshape(logScales, [1, -1]) },
    { eventNdims: 0 },
  );
  return tf.reshape(p.logProb(tf.tensor(levels, [levels.length, 1])), [levels.length]);
}

describe('discretizedLogisticMixtureLikelihood', () => {
  it.each(cases.map((c) => [c.name, c] as const))('matches mpmath (60 digits) for the mixture and each component: %s', (_name, c) => {
    tf.tidy(() => {
      const lp = logProbAt(c.logits, c.means, c.logScales, c.levels);
      expectFinite(lp);
      expectClose(lp, c.logProb, { rtol: 2e-6, atol: 2e-6, label: `${c.name}: mixture` });
      c.logits.forEach((_, k) => {
        const one = logProbAt([0], [c.means[k]], [c.logScales[k]], c.levels);
        const want = c.componentLogProb.map((row) => row[k]);
        expectClose(one, want, { rtol: 2e-6, atol: 2e-6, label: `${c.name}: component ${k}` });
      });
    });
  });

  it('stays exact where the difference of the two float32 sigmoids underflows (where PixelCNN++ falls back to the bin centre)', () => {
    const c = cases.find((k) => k.name === 'means far outside [-1, 1]') as Case;
    const [mu, logS] = [c.means[0], c.logScales[0]];
    const sigmoid32 = (t: number) => Math.fround(1 / (1 + Math.exp(-t)));
    const level = 128;
    const x = level / 127.5 - 1;
    const naive = sigmoid32((x + 1 / 255 - mu) / Math.exp(logS)) - sigmoid32((x - 1 / 255 - mu) / Math.exp(logS));
    expect(naive).toBe(0);
    const want = c.componentLogProb[c.levels.indexOf(level)][0];
    expect(want).toBeLessThan(-3000);
    tf.tidy(() => expectClose(logProbAt([0], [mu], [logS], [level]), [want], { rtol: 2e-6 }));
  });

  it('puts total mass 1 on the 256 levels, per component and for the mixture, in float32 (tails, floor, far means)', () => {
    tf.tidy(() => {
      for (const c of cases) {
        const mixture = tf.sum(tf.exp(logProbAt(c.logits, c.means, c.logScales, LEVELS))).arraySync() as number;
        expect(Math.abs(mixture - 1)).toBeLessThan(1e-5);
        c.means.forEach((m, k) => {
          const one = tf.sum(tf.exp(logProbAt([0], [m], [c.logScales[k]], LEVELS))).arraySync() as number;
          expect(Math.abs(one - 1)).toBeLessThan(1e-5);
        });
      }
    });
  });

  it.each(cases.map((c) => [c.name, c] as const))('has the gradients of mpmath finite differences: %s', (_name, c) => {
    tf.tidy(() => {
      const f = (l: tf.Tensor, m: tf.Tensor, s: tf.Tensor) => tf.sum(logProbAt(l, m, s, c.levels));
      const [gl, gm, gs] = tf.grads(f)([tf.tensor(c.logits), tf.tensor(c.means), tf.tensor(c.logScales)]);
      for (const [g, want, label] of [
        [gl, c.gradient.logits, 'logits'],
        [gm, c.gradient.means, 'means'],
        [gs, c.gradient.logScales, 'logScales'],
      ] as const) {
        expectFinite(g);
        const scale = Math.max(1, ...want.map(Math.abs));
        expectClose(g, want, { rtol: 1e-4, atol: 2e-5 * scale, label: `${c.name}: d/d${label}` });
      }
    });
  });

  it('sums over eventNdims data axes; K is the last parameter axis, not a data axis', () => {
    tf.tidy(() => {
      const p = discretizedLogisticMixtureLikelihood(
        { logits: tf.zeros([2, 3, 4, 4, 5]), means: tf.zeros([5]), logScales: -3 },
        { eventNdims: 2 },
      );
      expect(p.batchShape).toEqual([2, 3]);
      expect(p.eventShape).toEqual([4, 4]);
      const x = tf.fill([3, 4, 4], 127);
      const one = logProbAt([0], [0], [-3], [127]).arraySync() as number[];
      expectClose(p.logProb(x), tf.fill([2, 3], 16 * one[0]), { rtol: 1e-5 });
      expect(p.sample([7], 3).shape).toEqual([7, 2, 3, 4, 4]);
    });
  });

  it('samples levels 0..255 with the mixture probabilities; the same seed gives the same draws, seed 0 included', () => {
    tf.tidy(() => {
      const logits = [Math.log(0.3), Math.log(0.7)];
      const means = [-0.6, 0.95];
      const logScales = [-2, -3.5];
      const p = discretizedLogisticMixtureLikelihood({ logits: [logits], means: [means], logScales: [logScales] }, { eventNdims: 0 });
      const draws = Array.from(p.sample([4000], 0).dataSync());
      expect(draws.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
      expect(Array.from(p.sample([4000], 0).dataSync())).toEqual(draws);
      expect(Array.from(p.sample([4000], 1).dataSync())).not.toEqual(draws);
      const probs = Array.from(tf.exp(logProbAt(logits, means, logScales, LEVELS)).dataSync());
      const mean = probs.reduce((a, q, v) => a + q * v, 0);
      const s = summarize(draws);
      expectWithinStandardErrors(s.mean, mean, s.standardError, { label: 'mean level' });
      const top = probs[255];
      const topShare = draws.filter((v) => v === 255).length / draws.length;
      expectWithinStandardErrors(topShare, top, Math.sqrt((top * (1 - top)) / draws.length), { label: 'P(255)' });
    });
  });

  it('rejects bad input, naming the argument', () => {
    const ok = { logits: [[0, 0]], means: [[0, 0]], logScales: [[0, 0]] };
    expect(() => discretizedLogisticMixtureLikelihood({ ...ok, logits: 1 })).toThrow(/logits must be shaped \[\.\.\., K\]/);
    expect(() => discretizedLogisticMixtureLikelihood({ ...ok, means: [[0, 0, 0]] })).toThrow(/means/);
    expect(() => discretizedLogisticMixtureLikelihood({ ...ok, logits: [[0]] })).toThrow(
      /means and logScales must be shaped \[\.\.\., 1\]/,
    );
    expect(() => discretizedLogisticMixtureLikelihood({ ...ok, minLogScale: NaN })).toThrow(/minLogScale must be a finite number/);
    expect(() => discretizedLogisticMixtureLikelihood({ ...ok, logScales: [[0, NaN]] })).toThrow(/logScale must be a real number/);
    expect(() => discretizedLogisticMixtureLikelihood(ok, { eventNdims: 2 })).toThrow(/eventNdims must be an integer in \[0, 1\]/);
    expect(() => discretizedLogisticMixtureLikelihood(null as never)).toThrow(/spec must be an object/);
    tf.tidy(() => {
      const p = discretizedLogisticMixtureLikelihood(ok);
      expect(() => p.logProb([256])).toThrow(/value must be in the support/);
      expect(() => p.logProb([0.5])).toThrow(/value must be in the support/);
      const loose = discretizedLogisticMixtureLikelihood(ok, { validateArgs: false, eventNdims: 0 });
      expect(loose.logProb(tf.tensor([[256], [0.5], [-1]])).arraySync()).toEqual([[-Infinity], [-Infinity], [-Infinity]]);
    });
  });

  it('is memory-neutral', async () => {
    const x = tf.tensor([[0, 128, 255]]);
    const spec = () => ({ logits: tf.zeros([1, 3, 2]), means: tf.zeros([1, 3, 2]), logScales: tf.fill([1, 3, 2], -7) });
    await expectMemoryNeutral(() => tf.tidy(() => discretizedLogisticMixtureLikelihood(spec()).logProb(x)), 'logProb');
    await expectMemoryNeutral(() => tf.tidy(() => discretizedLogisticMixtureLikelihood(spec()).sample([2], 1)), 'sample');
    await expectMemoryNeutral(
      () =>
        tf.tidy(() =>
          tf.grad((m: tf.Tensor) => discretizedLogisticMixtureLikelihood({ ...spec(), means: m }).logProb(x))(tf.zeros([1, 3, 2])),
        ),
      'gradient',
    );
    x.dispose();
  });
});
