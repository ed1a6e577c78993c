import { describePair } from '../../test/pair-suite.js';

const fixture = 'kl_more.json';
describePair('LowRankMultivariateNormal||LowRankMultivariateNormal', { rtol: 2e-5, nearRtol: 1e-3, fixture });
describePair('LowRankMultivariateNormal||MultivariateNormal', { rtol: 2e-5, fixture });
describePair('MultivariateNormal||LowRankMultivariateNormal', { rtol: 2e-5, fixture });

// Dimension 40 (>= WOODBURY_FROM): the capacitance (Woodbury) route, against torch float64
// (test/fixtures/kl_lowrank.json, made by generate_kl_lowrank.py, cross-checked there by dense matrices).
describePair('LowRankMultivariateNormal||LowRankMultivariateNormal', { rtol: 2e-5, fixture: 'kl_lowrank.json', numSamples: 500 });
describePair('MultivariateNormal||LowRankMultivariateNormal', { rtol: 2e-5, fixture: 'kl_lowrank.json', numSamples: 500 });
