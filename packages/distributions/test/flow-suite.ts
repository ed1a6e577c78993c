// Shared checks of the flow-layer bijectors' tests: an autodiff Jacobian's log-determinant and the
// float64 torch fixture (test/fixtures/generate_flows.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

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
