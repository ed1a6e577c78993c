import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFinite, expectMemoryNeutral } from '@vae/testing';
import { MaskedAutoregressive } from '../index.js';
import { autodiffLogDet } from '../../test/flow-suite.js';

function jacobian(map: (x: tf.Tensor) => tf.Tensor, x: number[]): number[][] {
  return x.map((_, i) =>
    tf.tidy(() =>
      Array.from(
        tf
          .grad((v: tf.Tensor) => tf.gather(map(v), i))(tf.tensor1d(x))
          .dataSync(),
      ),
    ),
  );
}

describe('MaskedAutoregressive', () => {
  const x0 = [0.5, -1.2, 2, 0.3];

  it.each(['iaf', 'maf'] as const)(
    '%s: inverse undoes forward, the Jacobian is triangular and its log-det is the log-Jacobian',
    (direction) => {
      for (const reverseOrder of [false, true]) {
        const flow = new MaskedAutoregressive({ dim: 4, hiddenUnits: 12, direction, reverseOrder, seed: 3, outputInitStddev: 0.7 });
        const x = tf.tensor2d([x0, [3, -2, 0, 1]]);
        expectClose(flow.inverse(flow.forward(x)), x, { rtol: 1e-5, atol: 1e-5 });
        expectClose(flow.forward(flow.inverse(x)), x, { rtol: 1e-5, atol: 1e-5 });
        const j = jacobian((v) => flow.forward(v), x0);
        for (let r = 0; r < 4; r++) {
          for (let c = 0; c < 4; c++) if (reverseOrder ? c < r : c > r) expect(j[r][c]).toBe(0);
        }
        expect(j.some((row, r) => row.some((v, c) => c !== r && v !== 0))).toBe(true);
        const ldj = tf.tidy(() => flow.forwardLogDetJacobian([x0]).dataSync()[0]);
        expect(Math.abs(ldj - autodiffLogDet((v) => flow.forward(v), x0))).toBeLessThan(1e-4);
        expect(Math.abs(ldj)).toBeGreaterThan(1e-3);
        const y0 = tf.tidy(() => Array.from(flow.forward([x0]).dataSync()));
        expectClose(flow.inverseLogDetJacobian([y0]), [-ldj], { rtol: 1e-4, atol: 1e-5 });
        tf.tidy(() => {
          // The one-pass form (IAF reuses its conditioner's scales) equals the two calls apart.
          const both = flow.forwardAndLogDetJacobian(x);
          expectClose(both.y, flow.forward(x), { rtol: 1e-6, atol: 1e-7 });
          expectClose(both.logDetJacobian, flow.forwardLogDetJacobian(x), { rtol: 1e-6, atol: 1e-6 });
        });
        x.dispose();
        flow.dispose();
      }
    },
  );

  it('conditions on a context that broadcasts over sample axes, and names a missing or misshapen one', async () => {
    const flow = new MaskedAutoregressive({ dim: 3, contextDim: 2, seed: 0, outputInitStddev: 0.5 });
    const context = tf.tensor2d([
      [1, -1],
      [0, 2],
    ]);
    const view = flow.condition(context);
    const x = tf.tensor3d([
      [
        [0.1, 0.2, 0.3],
        [0.1, 0.2, 0.3],
      ],
      [
        [1, -1, 0],
        [2, 0, 1],
      ],
    ]); // [S=2, B=2, 3]
    const y = view.forward(x);
    expect(y.shape).toEqual([2, 2, 3]);
    expectClose(view.inverse(y), x, { rtol: 1e-5, atol: 1e-5 });
    const row = tf.tidy(() => y.arraySync() as number[][][]);
    expect(row[0][0]).not.toEqual(row[0][1]); // same x, different context
    expect(view.forwardLogDetJacobian(x).shape).toEqual([2, 2]);
    expect(flow.trainableVariables()).toHaveLength(5);
    expect(() => flow.forward([[0, 0, 0]])).toThrow(/MaskedAutoregressive: context must be given through condition/);
    expect(() => flow.condition(tf.zeros([2, 3]))).toThrow(/context must be of shape batch \+ \[2\]/);
    expect(() => new MaskedAutoregressive({ dim: 3, direction: 'up' as 'iaf' })).toThrow(/direction must be 'iaf' or 'maf'/);
    await expectMemoryNeutral(() => view.forward(x), 'forward');
    await expectMemoryNeutral(() => view.inverse(x), 'inverse');
    await expectMemoryNeutral(() => view.forwardLogDetJacobian(x), 'forwardLogDetJacobian');
    view.dispose(); // frees nothing: the variables are the layer's
    expect(flow.inputWeights.isDisposed).toBe(false);
    tf.dispose([x, y, context]);
    flow.dispose();
  });

  it('is seeded (seed 0 included), bounds the log-scale at extremes and keeps gradients finite', () => {
    const a = new MaskedAutoregressive({ dim: 2, seed: 0, outputInitStddev: 50 });
    const b = new MaskedAutoregressive({ dim: 2, seed: 0, outputInitStddev: 50 });
    expectClose(a.outputWeights, b.outputWeights, { rtol: 0, atol: 0 });
    const x = tf.tensor2d([
      [1e3, -1e3],
      [0, 0],
    ]);
    const ldj = a.forwardLogDetJacobian(x);
    expectFinite(ldj);
    expect(tf.tidy(() => tf.max(tf.abs(ldj)).dataSync()[0])).toBeLessThanOrEqual(10 + 1e-4);
    const grads = tf.variableGrads(() => tf.sum(a.forwardLogDetJacobian(x)) as tf.Scalar, a.trainableVariables());
    for (const g of Object.values(grads.grads)) expectFinite(g);
    tf.dispose([x, ldj, grads.value, ...Object.values(grads.grads)]);
    a.dispose();
    b.dispose();
  });
});
