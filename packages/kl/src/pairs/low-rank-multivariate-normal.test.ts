import { describePair } from '../../test/pair-suite.js';

const fixture = 'kl_more.json';
describePair('LowRankMultivariateNormal||LowRankMultivariateNormal', { rtol: 2e-5, nearRtol: 1e-3, fixture });
describePair('LowRankMultivariateNormal||MultivariateNormal', { rtol: 2e-5, fixture });
describePair('MultivariateNormal||LowRankMultivariateNormal', { rtol: 2e-5, fixture });
