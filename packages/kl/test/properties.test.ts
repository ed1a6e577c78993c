// Properties every divergence must have, over random parameters (fast-check, seeded):
// KL(p, p) = 0, KL(p, q) >= 0, and the registry result does not depend on how batches are laid
// out (a broadcast batch gives the elementwise divergences).
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import type { Distribution } from '@vae/distributions';
import { HypersphericalUniform } from '@vae/distributions';
import { klDivergence } from '../src/index.js';
import { build } from './pair-suite.js';

type Param = number | number[] | number[][];
type ParamSet = Record<string, Param>;

const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true }).map(Math.fround);
const positive = (lo = -3, hi = 3) => fc.double({ min: lo, max: hi, noNaN: true }).map((x) => Math.fround(Math.exp(x)));
const unitVector = (d: number) =>
  fc
    .array(real(-1, 1), { minLength: d, maxLength: d })
    .filter((v) => Math.hypot(...v) > 0.1)
    .map((v) => v.map((x) => Math.fround(x / Math.hypot(...v))));

interface FamilySpec {
  family: string;
  /** Parameters of one batch member. */
  arb: fc.Arbitrary<ParamSet>;
  /** Event rank of each parameter (how many trailing axes are not batch). */
  eventRanks: Record<string, number>;
  /** The second family, when the property is about a cross pair (default: the same). */
  q?: { family: string; arb: fc.Arbitrary<ParamSet>; eventRanks: Record<string, number> };
}

const locScale = { arb: fc.record({ loc: real(-5, 5), scale: positive(-2, 2) }), eventRanks: { loc: 0, scale: 0 } };
const SPECS: FamilySpec[] = [
  { family: 'Normal', ...locScale },
  { family: 'LogNormal', ...locScale },
  { family: 'Laplace', ...locScale },
  { family: 'Bernoulli', arb: fc.record({ logits: real(-30, 30) }), eventRanks: { logits: 0 } },
  { family: 'ContinuousBernoulli', arb: fc.record({ logits: real(-30, 30) }), eventRanks: { logits: 0 } },
  { family: 'Categorical', arb: fc.record({ logits: fc.array(real(-10, 10), { minLength: 4, maxLength: 4 }) }), eventRanks: { logits: 1 } },
  {
    family: 'OneHotCategorical',
    arb: fc.record({ logits: fc.array(real(-10, 10), { minLength: 4, maxLength: 4 }) }),
    eventRanks: { logits: 1 },
  },
  { family: 'Exponential', arb: fc.record({ rate: positive() }), eventRanks: { rate: 0 } },
  {
    family: 'Uniform',
    arb: fc.record({ low: real(-3, 3), width: positive(-2, 2) }).map(({ low, width }) => ({ low, high: Math.fround(low + width) })),
    eventRanks: { low: 0, high: 0 },
  },
  {
    family: 'Beta',
    arb: fc.record({ concentration1: positive(), concentration0: positive() }),
    eventRanks: { concentration1: 0, concentration0: 0 },
  },
  { family: 'Gamma', arb: fc.record({ concentration: positive(), rate: positive() }), eventRanks: { concentration: 0, rate: 0 } },
  {
    family: 'Dirichlet',
    arb: fc.record({ concentration: fc.array(positive(), { minLength: 3, maxLength: 3 }) }),
    eventRanks: { concentration: 1 },
  },
  {
    family: 'MultivariateNormal',
    arb: fc
      .record({ loc: fc.array(real(-3, 3), { minLength: 2, maxLength: 2 }), d0: positive(-1, 1), d1: positive(-1, 1), off: real(-2, 2) })
      .map(({ loc, d0, d1, off }) => ({
        loc,
        scaleTril: [
          [d0, 0],
          [off, d1],
        ],
      })),
    eventRanks: { loc: 1, scaleTril: 2 },
  },
  {
    family: 'IndependentNormal',
    arb: fc.record({
      loc: fc.array(real(-3, 3), { minLength: 2, maxLength: 2 }),
      scale: fc.array(positive(-1, 1), { minLength: 2, maxLength: 2 }),
    }),
    eventRanks: { loc: 1, scale: 1 },
  },
];

const sphere = (family: string) => ({
  family,
  arb: fc.record({ meanDirection: unitVector(3), concentration: positive(-8, 8) }),
  eventRanks: { meanDirection: 1, concentration: 0 },
});

/** Stacks batch members' parameters into tensors of shape [n] + event. */
function stack(members: ParamSet[], eventRanks: Record<string, number>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(eventRanks)) out[name] = tf.tensor(members.map((m) => m[name]) as number[]);
  return out;
}

function make(family: string, params: Record<string, tf.Tensor>): Distribution {
  return build(family, params);
}

// The quick suite draws a third of the cases; CI (VAE_SLOW_TESTS=1) runs them all.
const runScale = process.env.VAE_SLOW_TESTS ? 1 : 0.3;
const numRuns = (n: number) => Math.max(4, Math.round(n * runScale));
const runs = { numRuns: numRuns(50), seed: 20261122 };

describe.each(SPECS.map((s) => [s.family, s] as const))('KL(%s || same family) properties', (_name, spec) => {
  it('KL(p, p) = 0 and KL(p, q) >= 0', () => {
    fc.assert(
      fc.property(spec.arb, spec.arb, (a, b) => {
        tf.tidy(() => {
          const p = make(spec.family, stack([a, a], spec.eventRanks));
          const q = make(spec.family, stack([a, b], spec.eventRanks));
          const kl = klDivergence(p, q).dataSync();
          expect(Math.abs(kl[0])).toBeLessThanOrEqual(1e-6);
          expect(kl[1]).toBeGreaterThanOrEqual(-1e-6 * (1 + Math.abs(kl[1])));
          expect(Number.isNaN(kl[1])).toBe(false);
        });
      }),
      runs,
    );
  });

  it('is invariant to batch broadcasting: a [2, 1] x [2] batch gives the elementwise divergences', () => {
    fc.assert(
      fc.property(fc.array(spec.arb, { minLength: 2, maxLength: 2 }), fc.array(spec.arb, { minLength: 2, maxLength: 2 }), (ps, qs) => {
        tf.tidy(() => {
          const pt = stack(ps, spec.eventRanks);
          const rows: Record<string, tf.Tensor> = {};
          for (const [k, t] of Object.entries(pt)) rows[k] = tf.expandDims(t, 1);
          const table = klDivergence(make(spec.family, rows), make(spec.family, stack(qs, spec.eventRanks)));
          expect(table.shape).toEqual([2, 2]);
          const got = table.arraySync() as number[][];
          for (let i = 0; i < 2; i++) {
            for (let j = 0; j < 2; j++) {
              const one = klDivergence(
                make(spec.family, stack([ps[i]], spec.eventRanks)),
                make(spec.family, stack([qs[j]], spec.eventRanks)),
              ).dataSync()[0];
              if (!Number.isFinite(one)) expect(got[i][j]).toBe(one);
              else expect(Math.abs(got[i][j] - one)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(one));
            }
          }
        });
      }),
      { ...runs, numRuns: numRuns(20) },
    );
  });
});

describe.each([['VonMisesFisher'], ['PowerSpherical']])('KL(%s || HypersphericalUniform) properties', (family) => {
  const spec = sphere(family);
  it('is >= 0 and broadcasts over batches', () => {
    fc.assert(
      fc.property(fc.array(spec.arb, { minLength: 3, maxLength: 3 }), (ps) => {
        tf.tidy(() => {
          const p = make(family, stack(ps, spec.eventRanks));
          const kl = klDivergence(p, new HypersphericalUniform({ dim: 3, batchShape: [2, 1] }));
          expect(kl.shape).toEqual([2, 3]);
          const values = kl.arraySync() as number[][];
          ps.forEach((member, j) => {
            const one = klDivergence(make(family, stack([member], spec.eventRanks)), new HypersphericalUniform({ dim: 3 })).dataSync()[0];
            expect(one).toBeGreaterThanOrEqual(0);
            expect(Math.abs(values[0][j] - one)).toBeLessThanOrEqual(1e-6 * (1 + one));
            expect(values[1][j]).toBe(values[0][j]);
          });
        });
      }),
      { ...runs, numRuns: numRuns(10) },
    );
  });
});
