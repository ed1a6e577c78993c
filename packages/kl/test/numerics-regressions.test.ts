// The corner cases of issue 15 that the analytic divergences got wrong (Infinity, NaN gradients or
// percent-level errors where the exact answer is finite), against mpmath (fixtures/numerics.json,
// made by fixtures/generate_numerics.py).
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Beta, Exponential, Gamma, Normal } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { expectClose, expectMemoryNeutral } from '@vae/testing';
import { klDivergence } from '../src/index.js';

interface Regression {
  pair: string;
  params: number[];
  kl: number;
  grad: Record<string, number>;
  rtol: number;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'numerics.json'), 'utf8')) as { regressions: Regression[] };

// Builds p and q from the four parameters (as variables to differentiate), named as in the fixture.
const builders: Record<string, (t: tf.Tensor[]) => [Distribution, Distribution]> = {
  'gamma-gamma': ([ap, bp, aq, bq]) => [new Gamma({ concentration: ap, rate: bp }), new Gamma({ concentration: aq, rate: bq })],
  'gamma-exponential': ([ap, bp, , bq]) => [new Gamma({ concentration: ap, rate: bp }), new Exponential({ rate: bq })],
  'beta-beta': ([a1, b1, a2, b2]) => [
    new Beta({ concentration1: a1, concentration0: b1 }),
    new Beta({ concentration1: a2, concentration0: b2 }),
  ],
  'normal-normal': ([m1, s1, m2, s2]) => [new Normal({ loc: m1, scale: s1 }), new Normal({ loc: m2, scale: s2 })],
};
const names: Record<string, string[]> = {
  'gamma-gamma': ['ap', 'bp', 'aq', 'bq'],
  'gamma-exponential': ['ap', 'bp', 'aq', 'bq'],
  'beta-beta': ['a1', 'b1', 'a2', 'b2'],
  'normal-normal': ['mp', 'sp', 'mq', 'sq'],
};

describe('analytic KL at the corners of issue 15', () => {
  it.each(fixture.regressions.map((c) => [`${c.pair} ${JSON.stringify(c.params)}`, c] as const))(
    '%s: finite, accurate, finite gradients',
    async (_label, c) => {
      const params = c.params.map((v) => tf.scalar(v));
      const divergence = (...t: tf.Tensor[]) => {
        const [p, q] = builders[c.pair](t);
        return klDivergence(p, q);
      };
      const value = tf.tidy(() => divergence(...params));
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      expectClose(value, [c.kl], { rtol: c.rtol, atol: 0, label: `${c.pair} value` });
      const wrt = names[c.pair].map((name, i) => [name, i] as const).filter(([name]) => name in c.grad);
      const grads = tf.grads((...chosen: tf.Tensor[]) =>
        divergence(...params.map((t, i) => chosen[wrt.findIndex(([, j]) => j === i)] ?? t)),
      )(wrt.map(([, i]) => params[i]));
      wrt.forEach(([name], k) => {
        const g = grads[k].dataSync()[0];
        expect(Number.isFinite(g)).toBe(true);
        expectClose([g], [c.grad[name]], { rtol: 2e-4, atol: 1e-6 * Math.abs(c.kl), label: `${c.pair} d/d${name}` });
      });
      await expectMemoryNeutral(() => divergence(...params));
      tf.dispose([value, ...grads, ...params]);
    },
  );
});
