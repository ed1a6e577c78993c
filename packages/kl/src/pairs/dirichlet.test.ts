import * as tf from '@tensorflow/tfjs-core';
import { Dirichlet } from '@vae/distributions';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

describePair('Dirichlet||Dirichlet', { rtol: 1e-5, nearRtol: 5e-6 });

it('KL(Dirichlet || Dirichlet) refuses simplices of different sizes', () => {
  expect(() => klDivergence(new Dirichlet({ concentration: [1, 1] }), new Dirichlet({ concentration: [1, 1, 1] }))).toThrow(
    /same event shape/,
  );
});

// One concentration dwarfing the others, nearly equal (cases 36, 48 and 129 of the numerics
// fixture; references from mpmath at 30 digits, test/fixtures/generate_numerics.py): the remainder
// form cancelled remainders ~1e4 times the divergence (relative errors 8.7e-3, 1.1e-3 and 4.9e-2).
// The largest concentration now goes first as a Beta stick against the rest.
it.each([
  [[0.0000529244, 71.02504, 0.00037519558], [0.0000529243, 71.08643, 0.00037518507], 5.651462639585029e-10, 1e-4],
  [
    [4.0707564, 910350.94, 215.19041, 191.00269, 0.0003038365],
    [4.0707846, 910336.4, 215.18884, 191.00067, 0.00030384926],
    1.2966650117761673e-8,
    3e-3,
  ],
  [[0.009580312, 31.75111, 129647.38], [0.009580714, 31.77309, 129725.08], 2.605083064933049e-7, 2e-2],
])('KL(Dirichlet(%j) || Dirichlet(%j)) with one dominant concentration = %f', (a, b, want, rtol) => {
  const alpha = tf.tensor(a);
  const beta = tf.tensor(b);
  const f = (x: tf.Tensor, y: tf.Tensor) => klDivergence(new Dirichlet({ concentration: x }), new Dirichlet({ concentration: y }));
  const got = tf.tidy(() => f(alpha, beta).dataSync()[0]);
  expect(Math.abs(got - want) / want).toBeLessThan(rtol);
  const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => f(x, y))([alpha, beta]);
  for (const g of grads) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  tf.dispose([alpha, beta, ...grads]);
});
