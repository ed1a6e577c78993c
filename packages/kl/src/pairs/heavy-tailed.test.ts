// HalfNormal||HalfNormal, Cauchy||Cauchy and Pareto||Pareto against torch float64
// (test/fixtures/kl_continuous.json, made by generate_kl_continuous.py), their gradients against
// float64 finite differences of the closed forms, a seeded Monte Carlo estimate, memory neutrality.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cauchy, HalfNormal, Pareto } from '@vae/distributions';
import type { Distribution } from '@vae/distributions';
import { derivative64, expectClose, expectMemoryNeutral, expectWithinStandardErrors, summarize } from '@vae/testing';
import { klDivergence } from '../index.js';

interface Case {
  p: Record<string, number>;
  q: Record<string, number>;
  kl: number | 'inf';
  tag: 'ordinary' | 'extreme';
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/kl_continuous.json'), 'utf8')) as {
  pairs: Record<string, Case[]>;
};

type Params = Record<string, number | number[] | tf.Tensor>;
const FAMILIES: Record<string, (params: Params) => Distribution> = {
  HalfNormal: (t) => new HalfNormal({ scale: t.scale }),
  Cauchy: (t) => new Cauchy({ loc: t.loc, scale: t.scale }),
  Pareto: (t) => new Pareto({ scale: t.scale, alpha: t.alpha }),
};

/** The float64 closed forms (torch's), for finite differences. */
const CLOSED: Record<string, (p: Record<string, number>, q: Record<string, number>) => number> = {
  HalfNormal: (p, q) => (p.scale / q.scale) ** 2 / 2 - 0.5 - Math.log(p.scale / q.scale),
  Cauchy: (p, q) => Math.log(((p.scale + q.scale) ** 2 + (p.loc - q.loc) ** 2) / (4 * p.scale * q.scale)),
  Pareto: (p, q) => q.alpha * Math.log(p.scale / q.scale) - Math.log(q.alpha / p.alpha) + q.alpha / p.alpha - 1,
};

const worst: string[] = [];
afterAll(() => console.log(`[heavy-tailed pairs] worst rel err vs torch float64: ${worst.join('; ')}`));

describe.each(['HalfNormal', 'Cauchy', 'Pareto'])('%s||%s', (family) => {
  const cases = fixture.pairs[`${family}||${family}`];
  const stack = (side: 'p' | 'q') => Object.fromEntries(Object.keys(cases[0][side]).map((k) => [k, cases.map((c) => c[side][k])]));

  it('agrees with torch float64 on ordinary and extreme parameters (+Infinity where torch gives it)', () => {
    const [p, q] = [FAMILIES[family](stack('p')), FAMILIES[family](stack('q'))];
    const kl = Array.from(klDivergence(p, q).dataSync());
    const err = { ordinary: 0, extreme: 0 };
    kl.forEach((v, i) => {
      const ref = cases[i].kl === 'inf' ? Infinity : (cases[i].kl as number);
      const e = v === ref ? 0 : Math.abs(v - ref) / Math.max(Math.abs(ref), 1e-6);
      err[cases[i].tag] = Math.max(err[cases[i].tag], e);
      if (!(e <= (cases[i].tag === 'ordinary' ? 2e-6 : 2e-5)))
        throw new Error(`case ${i} ${JSON.stringify(cases[i])}: got ${v}, error ${e}`);
    });
    worst.push(`${family} ordinary ${err.ordinary.toExponential(1)}, extreme ${err.extreme.toExponential(1)}`);
    p.dispose();
    q.dispose();
  });

  it('gradients in every parameter of p and q match float64 finite differences', () => {
    // Pareto's KL is not differentiable in the scales where they are equal (it jumps to +Infinity below).
    const finite = cases.find(
      (c) => c.tag === 'ordinary' && c.kl !== 'inf' && (c.kl as number) > 0.01 && (family !== 'Pareto' || c.p.scale > c.q.scale),
    )!;
    const names = [...Object.keys(finite.p).map((k) => ['p', k] as const), ...Object.keys(finite.q).map((k) => ['q', k] as const)];
    const values = names.map(([side, k]) => finite[side][k]);
    const g = tf.grads((...ts: tf.Tensor[]) => {
      const pick = (side: 'p' | 'q') =>
        Object.fromEntries(
          names
            .map(([s, k], i) => [s, k, ts[i]] as const)
            .filter(([s]) => s === side)
            .map(([, k, t]) => [k, t]),
        );
      return klDivergence(FAMILIES[family](pick('p')), FAMILIES[family](pick('q')));
    })(values.map((v) => tf.scalar(v)));
    names.forEach(([side, k], i) => {
      const f = (t: number) =>
        CLOSED[family]({ ...finite.p, ...(side === 'p' ? { [k]: t } : {}) }, { ...finite.q, ...(side === 'q' ? { [k]: t } : {}) });
      expectClose(g[i], derivative64(f, finite[side][k]), { rtol: 1e-4, atol: 1e-6 });
    });
  });

  it('a seeded Monte Carlo estimate E_p[log p - log q] agrees within 5 standard errors; memory-neutral', async () => {
    const params: Record<string, [Params, Params]> = {
      HalfNormal: [{ scale: 1 }, { scale: 1.7 }],
      Cauchy: [
        { loc: 0, scale: 1 },
        { loc: 1.5, scale: 0.6 },
      ],
      Pareto: [
        { scale: 2, alpha: 3 },
        { scale: 1, alpha: 1.5 },
      ],
    };
    const [p, q] = params[family].map((x) => FAMILIES[family](x));
    const x = p.sample([20000], 3);
    const diff = tf.sub(p.logProb(x), q.logProb(x));
    const s = summarize(Array.from(diff.dataSync()));
    const kl = klDivergence(p, q);
    expectWithinStandardErrors(s.mean, kl.dataSync()[0], s.standardError, { z: 5, label: `${family} KL` });
    tf.dispose([x, diff, kl]);
    await expectMemoryNeutral(() => klDivergence(p, q), `KL ${family}`);
    p.dispose();
    q.dispose();
  });
});
