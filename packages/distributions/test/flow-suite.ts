// Shared checks of the flow-layer bijectors' tests: an autodiff Jacobian's log-determinant and the
// float64 torch fixture (test/fixtures/generate_flows.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@vae/testing';
import type { Bijector } from '@vae/distributions';

/** One fixture case: the layer's parameters and float64 points with y = f(x) and log |det J_f(x)|. */
export interface FlowFixtureCase {
  kind: 'planar' | 'radial' | 'householder';
  params: Record<string, number | number[] | number[][]>;
  points: { x: number[]; y: number[]; ldj: number }[];
}

/** The cases of flows.json for one layer kind. */
export function flowFixture(kind: FlowFixtureCase['kind']): FlowFixtureCase[] {
  const all = JSON.parse(readFileSync(join(__dirname, 'fixtures/flows.json'), 'utf8')) as FlowFixtureCase[];
  return all.filter((c) => c.kind === kind);
}

/**
 * Asserts a flow layer's forward values and forward log-determinants at one fixture case's points
 * (rtol and atol 1e-5); returns those points as an `[n, dim]` tensor, which the caller disposes.
 */
export function expectForwardMatchesFixture(layer: Bijector, c: FlowFixtureCase): tf.Tensor2D {
  const x = tf.tensor2d(c.points.map((q) => q.x));
  expectClose(
    layer.forward(x),
    c.points.map((q) => q.y),
    { rtol: 1e-5, atol: 1e-5, label: `${c.kind} forward` },
  );
  expectClose(
    layer.forwardLogDetJacobian(x),
    c.points.map((q) => q.ldj),
    { rtol: 1e-5, atol: 1e-5, label: `${c.kind} forwardLogDetJacobian` },
  );
  return x;
}

/** log |det| of a small square matrix by Gaussian elimination with partial pivoting, in float64. */
export function logAbsDet(matrix: number[][]): number {
  const a = matrix.map((row) => row.slice());
  const n = a.length;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    [a[k], a[p]] = [a[p], a[k]];
    sum += Math.log(Math.abs(a[k][k]));
    for (let i = k + 1; i < n; i++) {
      const f = a[i][k] / a[k][k];
      for (let j = k; j < n; j++) a[i][j] -= f * a[k][j];
    }
  }
  return sum;
}

/** log |det| of the float32 autodiff Jacobian of `map` at one event x (row i = gradient of output i). */
export function autodiffLogDet(map: (x: tf.Tensor) => tf.Tensor, x: number[]): number {
  const rows = x.map((_, i) =>
    tf.tidy(() =>
      Array.from(
        tf
          .grad((v: tf.Tensor) => tf.gather(map(v), i))(tf.tensor1d(x))
          .dataSync(),
      ),
    ),
  );
  return logAbsDet(rows);
}
