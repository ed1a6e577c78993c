import laplaceDist from '@stdlib/stats-base-dists-laplace';
import { expectClose } from '@vae/testing';
import { describeLocationScaleFamily } from '../test/location-scale-suite.js';
import { f32 } from '../test/scalar-family-helpers.js';
import { Laplace } from './index.js';

describeLocationScaleFamily({
  family: Laplace,
  oracle: laplaceDist,
  farOut: 80,
  logCdfGradientAt: [-3, 2],
  secondMoment: { formula: 'loc^2 + 2 scale^2', value: (m, s) => m * m + 2 * s * s },
  finiteGradientValues: [0.3, 5],
});

describe('Laplace upper tail', () => {
  it('the upper-tail logCdf, log(1 - exp(-z) / 2) ~ -exp(-z) / 2, keeps its relative precision', () => {
    // The suite measures log CDFs near 0 by absolute error; here relative, which log(1 + x)
    // (tf.log1p on wasm) loses entirely past z = 17.
    const z = [0.5, 3, 10, 17, 30, 80].map(f32);
    const d = new Laplace({ loc: 0, scale: 1 });
    expectClose(
      d.logCdf(z),
      z.map((v) => Math.log1p(-0.5 * Math.exp(-v))),
      { rtol: 1e-6, atol: 0 },
    );
    d.dispose();
  });
});
