// What the tests of the families on the sphere (VonMisesFisher, PowerSpherical) share: test points,
// a worst-error log against a fixture, and the checks of shapes, seeding and the reparameterized
// gradient in the mean direction.
import * as tf from '@tensorflow/tfjs-core';
import { derivative64, expectClose, runOnBackends } from '@vae/testing';
import type { Distribution } from '@vae/distributions';

/** A deterministic unit vector in R^d with every coordinate nonzero: cos(phase + step i) + offset, normalized. */
export function unitVector(d: number, phase: number, step: number, offset: number): number[] {
  const v = Array.from({ length: d }, (_, i) => Math.cos(phase + step * i) + offset);
  const n = Math.hypot(...v);
  return v.map((x) => Math.fround(x / n));
}

/** Points at given cosines t to mu: x = t mu + sqrt(1 - t^2) w, w the unit part of `w0` orthogonal to mu. */
export function pointsAt(mu: number[], cosines: number[], w0: number[]): number[][] {
  const dot = w0.reduce((s, v, i) => s + v * mu[i], 0);
  const w1 = w0.map((v, i) => v - dot * mu[i]);
  const n = Math.hypot(...w1);
  return cosines.map((t) => mu.map((m, i) => Math.fround(t * m + (Math.sqrt(1 - t * t) * w1[i]) / n)));
}

/** The float64 dot product. */
export const dot64 = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);

/** Worst relative errors (|err| / max(|truth|, atol)) per quantity and regime, printed once after the file. */
export class WorstErrors {
  private readonly worst: Record<string, { ordinary: number; extreme: number }> = {};

  constructor(family: string, oracle: string) {
    afterAll(() => {
      const parts = Object.entries(this.worst).map(
        ([q, w]) => `${q}: ordinary ${w.ordinary.toExponential(1)}, extreme ${w.extreme.toExponential(1)}`,
      );
      console.log(`[${family}] worst rel err (|err| / max(|truth|, atol)) vs ${oracle}: ${parts.join('; ')}`);
    });
  }

  /** Records one comparison (the caller asserts it). */
  record(quantity: string, extreme: boolean, actual: number, expected: number, atol: number): void {
    const w = (this.worst[quantity] ??= { ordinary: 0, extreme: 0 });
    const rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), atol);
    w[extreme ? 'extreme' : 'ordinary'] = Math.max(w[extreme ? 'extreme' : 'ordinary'], rel);
  }
}

/** What {@link describeDirectionalChecks} needs to know about a family. */
export interface DirectionalFamily {
  /** The family's name. */
  name: string;
  /** The constructor. */
  make: (params: {
    meanDirection: tf.Tensor | number[];
    concentration: tf.Tensor | number | number[];
    validateArgs?: boolean;
  }) => Distribution;
  /** The rsample direction-gradient check: dimension 4 or 5 data, concentration, draws, |E[x]| (A). */
  directionGradient: { m: number[]; a: number[]; concentration: number; n: number; meanNorm: () => number };
}

/**
 * Shapes and broadcasting, determinism by seed with unit-norm samples, and the gradient of
 * E[a^T x] in an unnormalized direction m through rsample (exact for both families: the radial
 * part does not depend on the direction): d/dm E[a^T x] = A (a - (a^T mu) mu) / |m| with mu = m / |m|.
 */
export function describeDirectionalChecks(f: DirectionalFamily): void {
  describe(`${f.name} shapes and seeding`, () => {
    it.each([
      ['one direction', [0, 1], 2, [], [3], [3, 2]],
      ['batched kappa', [0, 0, 1], [1, 2], [2], [4], [4, 2, 3]],
      ['batched mu and kappa broadcast [2,1] x [3]', [[[1, 0]], [[0, 1]]], [1, 2, 3], [2, 3], [], [2, 3, 2]],
    ])('%s', (_name, meanDirection, concentration, batchShape, sampleShape, out) => {
      const d = f.make({ meanDirection: meanDirection as number[], concentration: concentration as number[] });
      expect(d.batchShape).toEqual(batchShape);
      const s = d.sample(sampleShape as number[], 1);
      expect(s.shape).toEqual(out);
      expect(d.logProb(s).shape).toEqual(out.slice(0, -1));
      expect(d.entropy().shape).toEqual(batchShape);
      const perCoordinate = [...(batchShape as number[]), out[out.length - 1]];
      for (const m of [d.mean(), d.mode(), d.variance()]) expect(m.shape).toEqual(perCoordinate);
    });

    it('is deterministic by seed; samples are unit vectors', () => {
      const d = f.make({ meanDirection: [0.6, 0.8], concentration: [1, 100] });
      const a = d.sample([5], 3);
      expectClose(a, d.sample([5], 3), { rtol: 0, atol: 0 });
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(d.sample([5], 4).dataSync()));
      expectClose(tf.norm(a, 'euclidean', -1), tf.ones([5, 2]), { atol: 1e-5 });
    });
  });

  describe(`${f.name} reparameterized direction`, () => {
    it('rsample is differentiable in the direction: with mu = m / |m|, d/dm E[a^T x] = A (a - (a^T mu) mu) / |m|', () => {
      const { m, a, concentration, n } = f.directionGradient;
      const g = tf.grad((mm: tf.Tensor) => {
        const mu = tf.div(mm, tf.norm(mm));
        const x = f.make({ meanDirection: mu, concentration, validateArgs: false }).rsample([n], 9);
        return tf.mean(tf.matMul(x, tf.tensor(a, [a.length, 1])));
      })(tf.tensor(m));
      const norm = Math.hypot(...m);
      const mu = m.map((v) => v / norm);
      const aMu = dot64(a, mu);
      const meanNorm = f.directionGradient.meanNorm();
      expectClose(
        g,
        a.map((v, i) => (meanNorm * (v - aMu * mu[i])) / norm),
        { rtol: 0.05, atol: 0.01 },
      );
    });
  });
}

/** The test point of {@link expectConcentrationGradientsMatch}: a direction and a point on S^2. */
const D3_MU = [0, 0.6, 0.8];
const D3_X = [0.48, 0.6, -0.64];

/**
 * At d = 3 (mu = (0, 0.6, 0.8), x = (0.48, 0.6, -0.64)), the gradients in the concentration of
 * logProb(x) and of the entropy at `kappa` against float64 central differences of the closed forms
 * `logProb64(kappa, mu^T x)` and `entropy64(kappa)`, within the relative tolerances given (atol 1e-5).
 */
export function expectConcentrationGradientsMatch(
  make: DirectionalFamily['make'],
  kappa: number,
  logProb64: (kappa: number, t: number) => number,
  entropy64: (kappa: number) => number,
  rtol: { logProb: number; entropy: number },
): void {
  const t = dot64(D3_MU, D3_X);
  const build = (concentration: tf.Tensor) => make({ meanDirection: D3_MU, concentration });
  const g = tf.grad((k: tf.Tensor) => build(k).logProb(D3_X))(tf.scalar(kappa));
  expectClose(
    g,
    derivative64((k) => logProb64(k, t), kappa),
    { rtol: rtol.logProb, atol: 1e-5, label: 'd logProb / d kappa' },
  );
  const ge = tf.grad((k: tf.Tensor) => build(k).entropy())(tf.scalar(kappa));
  expectClose(ge, derivative64(entropy64, kappa), { rtol: rtol.entropy, atol: 1e-5, label: 'd entropy / d kappa' });
  tf.dispose([g, ge]);
}

/**
 * The cpu and wasm backends agree on `quantities` of the family with mean direction `mu` and a batch
 * of `kappas` (one per row), logProb taken at `x`; `tolerance(i)` for quantity i.
 */
export async function expectBackendParity(
  make: DirectionalFamily['make'],
  mu: number[],
  x: number[][],
  kappas: number[],
  quantities: readonly ('logProb' | 'entropy' | 'mean' | 'variance')[],
  tolerance: (i: number) => { rtol: number; atol: number },
): Promise<void> {
  const results = await runOnBackends(() => {
    const d = make({ meanDirection: mu, concentration: kappas.map((k) => [k]) as unknown as number[] });
    const values = quantities.map((q) => (q === 'logProb' ? d.logProb(x) : d[q]()));
    d.dispose();
    return values;
  });
  results.cpu.forEach((v, i) => expectClose(results.wasm[i], v, { ...tolerance(i), label: quantities[i] }));
}
