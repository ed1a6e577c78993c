import logisticDist from '@stdlib/stats-base-dists-logistic';
import { describeLocationScaleFamily } from '../test/location-scale-suite.js';
import { Logistic } from './index.js';

describeLocationScaleFamily({
  family: Logistic,
  oracle: logisticDist,
  farOut: 80,
  logCdfGradientAt: [-30, 2],
  secondMoment: { formula: 'loc^2 + pi^2 scale^2 / 3', value: (m, s) => m * m + (Math.PI ** 2 / 3) * s * s },
  finiteGradientValues: [0.3, 50],
});
