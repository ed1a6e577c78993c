// One battery for every bijector: round trips, the log-Jacobian against the log-determinant of an
// autodiff Jacobian, against mpmath fixtures, finiteness of values and gradients at the extremes,
// and memory neutrality. Each bijector's test file calls it with its own points.
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFinite, expectMemoryNeutral } from '@vae/testing';
import type { Bijector } from '../src/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logAbsDet } from './flow-suite.js';

/** One entry of bijectors.json (written by generate_bijectors.py). */
export interface BijectorFixture {
  params: Record<string, unknown>;
  forward: { x: number[] | number[][]; y: number[] | number[][]; ldj: number[] };
  inverse: { y: number[] | number[][]; x: number[] | number[][]; ldj: number[] };
}

const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures/bijectors.json'), 'utf8')) as Record<string, BijectorFixture>;

/** The fixture of one bijector by its name in bijectors.json. */
export function bijectorFixture(name: string): BijectorFixture {
  const entry = fixtures[name];
  if (!entry) throw new Error(`no fixture ${name} in bijectors.json`);
  return entry;
}

export interface BatteryOptions {
  /** Inputs of forward: ordinary points where the round trip is exact to float32. */
  xs: tf.TensorLike;
  /** The mpmath fixture's entry (default: the entry named as the bijector); null for a bijector without one. */
  fixture?: BijectorFixture | null;
  /** Tolerances against the fixture (default rtol 2e-6, atol 1e-6). */
  rtol?: number;
  atol?: number;
  /** Extreme inputs of forward and inverse whose log-Jacobians (and their gradients) must be finite. */
  extremeXs?: tf.TensorLike;
  extremeYs?: tf.TensorLike;
  /** Absolute tolerance of the round trip (default 1e-6; larger for an ill-conditioned map). */
  roundTripAtol?: number;
  /** For a map onto the simplex, the autodiff Jacobian keeps only the first K-1 outputs. */
  dropLastOutput?: boolean;
}

/** log |det J| at each event of x from tfjs autodiff: one gradient per output coordinate (a row of J). */
export function autodiffLogDetJacobian(b: Bijector, x: tf.Tensor, dropLastOutput = false): number[] {
  if (b.forwardMinEventNdims === 0) {
    const d = tf.grad((t: tf.Tensor) => tf.sum(b.forward(t)))(x);
    const out = (tf.log(tf.abs(d)).arraySync() as number[]).flat(Infinity as 1) as number[];
    d.dispose();
    return out;
  }
  const events = x.arraySync() as number[][];
  return events.map((event) => {
    const xe = tf.tensor1d(event);
    const size = b.forwardEventShape([event.length]).reduce((p, d) => p * d, 1);
    const k = size - (dropLastOutput ? 1 : 0);
    const rows = Array.from({ length: k }, (_, i) => {
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reshape(b.forward(t), [-1]), tf.oneHot(i, size))))(xe);
      const row = g.arraySync() as number[];
      g.dispose();
      return row;
    });
    xe.dispose();
    return logAbsDet(rows);
  });
}

/** A fixture with forward and inverse swapped: the reference for `new Invert(b)` from b's. */
export function invertedFixture(f: BijectorFixture): BijectorFixture {
  return {
    params: f.params,
    forward: { x: f.inverse.y, y: f.inverse.x, ldj: f.inverse.ldj },
    inverse: { y: f.forward.x, x: f.forward.y, ldj: f.forward.ldj },
  };
}

/** Runs the battery on one bijector (built by `make`, disposed at the end) inside the current describe. */
export function bijectorBattery(label: string, make: () => Bijector, options: BatteryOptions): void {
  const rtol = options.rtol ?? 2e-6;
  const atol = options.atol ?? 1e-6;

  it(`${label}: inverse(forward(x)) = x and the log-Jacobians agree with autodiff and with each other`, () => {
    const b = make();
    tf.tidy(() => {
      const x = tf.tensor(options.xs);
      const y = b.forward(x);
      expectClose(b.inverse(y), x, { rtol: 1e-5, atol: options.roundTripAtol ?? 1e-6, label: `${label} inverse(forward(x))` });
      const ldj = b.forwardLogDetJacobian(x);
      expect(ldj.shape).toEqual(x.shape.slice(0, x.rank - b.forwardMinEventNdims));
      expectClose(tf.reshape(ldj, [-1]), autodiffLogDetJacobian(b, x, options.dropLastOutput), {
        rtol: 1e-4,
        atol: 1e-4,
        label: `${label} ldj vs autodiff`,
      });
      expectClose(b.inverseLogDetJacobian(y), tf.neg(ldj), { rtol: 1e-5, atol: 1e-5, label: `${label} inverse ldj = -forward ldj` });
      // The one-call form gives the same two values (an override computing them together must not drift).
      const both = b.forwardAndLogDetJacobian(x);
      expectClose(both.y, y, { rtol: 1e-6, atol: 1e-7, label: `${label} forwardAndLogDetJacobian y` });
      expectClose(both.logDetJacobian, ldj, { rtol: 1e-6, atol: 1e-6, label: `${label} forwardAndLogDetJacobian ldj` });
    });
    b.dispose();
  });

  const fixtureOf = (b: Bijector) => (options.fixture === undefined ? bijectorFixture(b.name) : options.fixture);

  if (options.fixture !== null) {
    it(`${label}: matches the mpmath fixture`, () => {
      const b = make();
      const f = fixtureOf(b) as BijectorFixture;
      tf.tidy(() => {
        expectClose(b.forward(f.forward.x), f.forward.y, { rtol, atol, label: `${label} forward` });
        expectClose(b.forwardLogDetJacobian(f.forward.x), f.forward.ldj, { rtol, atol, label: `${label} forward ldj` });
        expectClose(b.inverse(f.inverse.y), f.inverse.x, { rtol, atol, label: `${label} inverse` });
        expectClose(b.inverseLogDetJacobian(f.inverse.y), f.inverse.ldj, { rtol, atol, label: `${label} inverse ldj` });
      });
      b.dispose();
    });
  }

  it(`${label}: finite log-Jacobians and gradients at the extremes, memory-neutral`, async () => {
    const b = make();
    const f = fixtureOf(b);
    const xs = tf.tensor((options.extremeXs ?? f?.forward.x) as tf.TensorLike);
    const ys = tf.tensor((options.extremeYs ?? f?.inverse.y) as tf.TensorLike);
    tf.tidy(() => {
      expectFinite(b.forwardLogDetJacobian(xs), `${label} forward ldj at extremes`);
      expectFinite(b.inverseLogDetJacobian(ys), `${label} inverse ldj at extremes`);
      // A constant Jacobian does not depend on the input at all, so it has no gradient to check.
      if (b.isConstantJacobian) return;
      expectFinite(tf.grad((t: tf.Tensor) => tf.sum(b.forwardLogDetJacobian(t)))(xs), `${label} gradient of forward ldj`);
      expectFinite(tf.grad((t: tf.Tensor) => tf.sum(b.inverseLogDetJacobian(t)))(ys), `${label} gradient of inverse ldj`);
    });
    await expectMemoryNeutral(() => b.forward(xs), `${label} forward`);
    await expectMemoryNeutral(() => b.inverse(ys), `${label} inverse`);
    await expectMemoryNeutral(() => b.forwardLogDetJacobian(xs), `${label} forwardLogDetJacobian`);
    await expectMemoryNeutral(() => b.inverseLogDetJacobian(ys), `${label} inverseLogDetJacobian`);
    tf.dispose([xs, ys]);
    b.dispose();
  });
}
