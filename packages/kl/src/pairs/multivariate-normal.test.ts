import * as tf from '@tensorflow/tfjs-core';
import { Independent, MultivariateNormal, Normal } from '@vae/distributions';
import { describePair } from '../../test/pair-suite.js';
import { klDivergence } from '../index.js';

describePair('MultivariateNormal||MultivariateNormal', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Independent||MultivariateNormal', { rtol: 1e-5, nearRtol: 2e-6 });

it('KL(Independent || MultivariateNormal) needs a diagonal normal and says so', () => {
  const q = new MultivariateNormal({ loc: [0, 0], scaleTril: tf.eye(2) });
  const base = new Normal({ loc: [[0, 0]], scale: 1 });
  expect(() =>
    klDivergence(
      new Independent({ distribution: base, reinterpretedBatchNdims: 2 }),
      new MultivariateNormal({ loc: [[0, 0]], scaleTril: tf.eye(2, 2, [1]) }),
    ),
  ).toThrow(/same event shape|reinterpretedBatchNdims 1/);
  expect(() => klDivergence(new Independent({ distribution: base, reinterpretedBatchNdims: 1 }), q)).not.toThrow();
});
