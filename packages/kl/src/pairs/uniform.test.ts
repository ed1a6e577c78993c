import { describePair } from '../../test/pair-suite.js';

describePair('Uniform||Uniform', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Uniform||Beta', { rtol: 1e-5 });
describePair('Uniform||ContinuousBernoulli', { rtol: 1e-5 });
describePair('Uniform||Exponential', { rtol: 1e-5 });
describePair('Uniform||Gamma', { rtol: 1e-5 });
describePair('Uniform||Normal', { rtol: 1e-5 });
