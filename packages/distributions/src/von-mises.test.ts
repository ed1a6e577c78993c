import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose, expectWithinStandardErrors, runOnBackends, summarize } from '@vae/testing';
import { expectLogProbGradientsMatch } from '../test/gradient-checks.js';
import { errorReport, describeStandardChecks, f32 } from '../test/scalar-family-helpers.js';
import { VonMises } from './index.js';
import type { VonMisesParams } from './index.js';
import { twoParameterShapes } from '../test/shape-rows.js';

interface LogProbRow {
  kappa: number;
  loc: number;
  x: number;
  logProb: number;
  dKappa: number;
  dX: number;
}
interface MomentRow {
  kappa: number;
  meanResultant: number;
  oneMinusMeanResultant: number;
  entropy: number;
}
interface QuantileRow {
  kappa: number;
  p: number;
  x: number;
  meanResultant: number;
}

// mpmath values, checked against scipy.stats.vonmises (test/fixtures/generate_von_mises.py).
const fixture = JSON.parse(readFileSync(join(__dirname, '../test/fixtures/von_mises.json'), 'utf8')) as {
  logProb: LogProbRow[];
  moments: MomentRow[];
  quantiles: QuantileRow[];
};
const EXTREME = (kappa: number) => kappa <= 1e-3 || kappa >= 1e3;

const report = errorReport('VonMises', 'mpmath/scipy');

/** log I_0(k) in float64 by its power series (moderate k only), for finite differences. */
function logI0(k: number): number {
  let term = 1;
  let sum = 1;
  for (let j = 1; j < 200; j++) {
    term *= (k * k) / (4 * j * j);
    sum += term;
  }
  return Math.log(sum);
}
const logPdf64 = (x: number, loc: number, k: number) => k * Math.cos(x - loc) - Math.log(2 * Math.PI) - logI0(k);

describe('VonMises against mpmath (kappa 1e-6 .. 1e6, x at +-pi included)', () => {
  const rows = fixture.logProb;
  const ext = rows.map((r) => EXTREME(r.kappa));
  it(`logProb and its gradients in kappa, loc and x over ${rows.length} points`, () => {
    const [lp, gk, gl, gx] = tf.tidy(() => {
      const k = tf.tensor(rows.map((r) => r.kappa));
      const loc = tf.tensor(rows.map((r) => r.loc));
      const x = tf.tensor(rows.map((r) => r.x));
      const f = (kk: tf.Tensor, ll: tf.Tensor, xx: tf.Tensor) => new VonMises({ loc: ll, concentration: kk }).logProb(xx);
      return [f(k, loc, x), ...tf.grads(f)([k, loc, x])];
    });
    report.check(
      'logProb',
      lp,
      rows.map((r) => r.logProb),
      ext,
      { ordinary: 2e-6, extreme: 2e-6 },
    );
    // The kappa-gradient cos(x - mu) - A cancels near the mode, and the x-gradient -kappa sin(x - mu)
    // carries the rounding of x: compare each on the scale of its terms, |cos| + A and kappa.
    const worstScaled = (name: string, t: tf.Tensor, expected: (r: LogProbRow) => number, scale: (r: LogProbRow) => number) => {
      const a = t.dataSync();
      const worst = rows.reduce((w, r, i) => Math.max(w, Math.abs(a[i] - expected(r)) / scale(r)), 0);
      console.log(`VonMises ${name} vs mpmath: worst error on the scale of its terms ${worst.toExponential(2)}`);
      return worst;
    };
    expect(
      worstScaled(
        'dlogProb/dkappa',
        gk,
        (r) => r.dKappa,
        (r) => Math.abs(Math.cos(r.x - r.loc)) + 1,
      ),
    ).toBeLessThan(1e-6);
    expect(
      worstScaled(
        'dlogProb/dx',
        gx,
        (r) => r.dX,
        (r) => r.kappa,
      ),
    ).toBeLessThan(1e-6);
    expectClose(
      gl,
      Array.from(gx.dataSync(), (v) => -v),
      { rtol: 1e-6, atol: 1e-6 },
    );
    tf.dispose([lp, gk, gl, gx]);
  });

  it('entropy, variance (1 - A), mean and mode', () => {
    const m = fixture.moments;
    const d = new VonMises({ loc: 0.7, concentration: m.map((r) => r.kappa) });
    const ext = m.map((r) => EXTREME(r.kappa));
    report.checkEach(ext, { ordinary: 2e-6, extreme: 2e-6 }, [
      ['entropy', d.entropy(), m.map((r) => r.entropy)],
      ['variance', d.variance(), m.map((r) => r.oneMinusMeanResultant), { ordinary: 5e-6, extreme: 5e-6 }],
    ]);
    expectClose(
      d.mean(),
      m.map(() => f32(0.7)),
      { rtol: 0 },
    );
    expectClose(
      d.mode(),
      m.map(() => f32(0.7)),
      { rtol: 0 },
    );
    d.dispose();
  });

  it('logProb gradients match float64 finite differences (moderate kappa)', () => {
    for (const [k, loc, x] of [
      [0.3, 1, -2.9],
      [4, -0.5, 0.1],
      [15, 3, -3.1],
    ].map((r) => r.map(f32))) {
      const make = (concentration: tf.Tensor, l: tf.Tensor) => new VonMises({ loc: l, concentration });
      expectLogProbGradientsMatch(make, (v, kk, ll) => logPdf64(v, ll, kk), [k, loc], x, { atol: 1e-6 });
    }
  });
});

describe('VonMises sampling', () => {
  it('fraction of draws below the scipy quantiles; E[cos(x - mu)] = A(kappa), E[sin(x - mu)] = 0', () => {
    const kappas = Array.from(new Set(fixture.quantiles.map((q) => q.kappa)));
    const loc = f32(2.8); // near pi, so draws wrap around
    const n = 1500;
    const d = new VonMises({ loc, concentration: kappas });
    const x = d.sample([n], 11);
    const data = x.dataSync();
    kappas.forEach((kappa, j) => {
      const centered = Array.from({ length: n }, (_, i) => {
        const v = data[i * kappas.length + j];
        expect(v >= -Math.PI && v < Math.PI).toBe(true);
        const c = v - loc;
        return c - 2 * Math.PI * Math.floor((c + Math.PI) / (2 * Math.PI));
      });
      for (const q of fixture.quantiles.filter((r) => r.kappa === kappa)) {
        const below = centered.filter((c) => c <= q.x).length / n;
        expectWithinStandardErrors(below, q.p, Math.sqrt((q.p * (1 - q.p)) / n), { z: 4.5, label: `kappa ${kappa} P(x <= q_${q.p})` });
      }
      const cos = summarize(centered.map(Math.cos));
      const sin = summarize(centered.map(Math.sin));
      const a = fixture.quantiles.find((q) => q.kappa === kappa)?.meanResultant as number;
      expectWithinStandardErrors(cos.mean, a, cos.standardError, { z: 4.5, atol: 1e-7, label: `kappa ${kappa} E[cos]` });
      expectWithinStandardErrors(sin.mean, 0, sin.standardError, { z: 4.5, atol: 1e-7, label: `kappa ${kappa} E[sin]` });
    });
    x.dispose();
    d.dispose();
  });

  it("rsample gradients: d/dkappa E[cos(z - mu)] = A'(kappa) = 1 - A / kappa - A^2 (per-draw, Monte Carlo); d/dmu = 1 per draw", () => {
    const n = 1500;
    const moments = fixture.moments.filter((r) => r.kappa === f32(1) || r.kappa === f32(200));
    const kappas = moments.map((m) => m.kappa);
    const loc = 0.4;
    // Each draw has its own copy of kappa, so the gradient holds every draw's pathwise derivative.
    const [perDraw, perDrawLoc] = tf.tidy(() =>
      tf.grads((k: tf.Tensor, l: tf.Tensor) => tf.sum(tf.cos(tf.sub(new VonMises({ loc: l, concentration: k }).rsample([], 12), l))))([
        tf.tile(tf.tensor([kappas]), [n, 1]),
        tf.fill([n, 2], loc),
      ]),
    );
    const g = perDraw.dataSync();
    const gLoc = perDrawLoc.dataSync();
    moments.forEach(({ kappa, meanResultant: a }, j) => {
      const s = summarize(Array.from({ length: n }, (_, i) => g[i * 2 + j]));
      const truth = 1 - a / kappa - a * a;
      expectWithinStandardErrors(s.mean, truth, s.standardError, { z: 4.5, label: `d/dkappa E[cos], kappa ${kappa}` });
      console.log(
        `VonMises rsample: d/dkappa E[cos(z - mu)] at kappa ${kappa}: ${s.mean.toExponential(4)} +- ${s.standardError.toExponential(1)} vs ${truth.toExponential(4)}`,
      );
    });
    // cos(z - mu) with z = mu + noise (wrapped) does not depend on mu: its mu-gradient is 0 only if dz/dmu = 1.
    Array.from(gLoc).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-5));
    tf.dispose([perDraw, perDrawLoc]);
  });

  it('extremes: kappa 1e-6 and 1e6 give finite draws, log densities and rsample gradients; the same on cpu and wasm', async () => {
    const build = (k: tf.Tensor) => new VonMises({ loc: [0, 3.1], concentration: k });
    const run = () => {
      const k = tf.tensor([
        [1e-6, 1e-3],
        [1e3, 1e6],
      ]);
      const kk = tf.tensor([1e-6, 1e6]);
      const [value, gradient] = tf.tidy(() => {
        const f = (c: tf.Tensor) => {
          const d = build(c);
          return tf.sum(d.logProb(d.rsample([50], 13)));
        };
        return [f(kk), tf.grad(f)(kk)];
      });
      const d = new VonMises({ loc: 0, concentration: k });
      const ends = d.logProb([
        [-Math.PI, Math.PI],
        [-Math.PI, Math.PI],
      ]);
      const entropy = d.entropy();
      const draws = new VonMises({ loc: [0.5, -2], concentration: [1, 300] }).sample([100], 9);
      const out = [value, gradient, ends, entropy, draws];
      tf.dispose([k, kk]);
      d.dispose();
      return out;
    };
    const results = await runOnBackends(run);
    for (const values of results.cpu) values.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    results.cpu.forEach((values, i) => expectClose(results.wasm[i], values, { rtol: 1e-4, atol: 1e-5 }));
  });
});

describeStandardChecks<VonMisesParams>({
  family: VonMises,
  shapes: twoParameterShapes<VonMisesParams>('loc', 'concentration', [0, 2], [[0, 1], 0.5]),
  params: { loc: [0.5, -3, 3], concentration: [0.3, 2, 40] },
  // The mean and variance are circular (mu and 1 - A): a sample average of angles does not estimate them.
  monteCarlo: { samples: 2000, skip: ['mean', 'variance'] },
  value: [0.1, -3.1, 3],
  badParams: [
    [{ loc: 0, concentration: [1, 0] }, 'VonMises: concentration must be positive (> 0) and finite; got 0 at index [1]'],
    [{ loc: NaN, concentration: 1 }, /VonMises: loc must be a real number/],
  ],
  outside: [3.2, -4, NaN, Infinity],
  supportMessage: /VonMises: value must be in the support: an angle in \[-pi, pi\]/,
  finiteGradients: { build: (p) => new VonMises({ loc: 0, concentration: p }), param: [1e-6, 1e6], values: [-Math.PI, Math.PI] },
});

it('expand broadcasts the batch and keeps gradients', () => {
  const d = new VonMises({ loc: [0, 1], concentration: 3 });
  const e = d.expand([3, 2]);
  expect(e.batchShape).toEqual([3, 2]);
  const [a, b] = [d.logProb(0.5), e.logProb(0.5)];
  expectClose(
    b,
    [0, 1, 2].flatMap(() => Array.from(a.dataSync())),
    { rtol: 1e-6 },
  );
  tf.dispose([a, b]);
  e.dispose();
  d.dispose();
});
