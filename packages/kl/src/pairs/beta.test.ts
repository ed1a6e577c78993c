import { describePair } from '../../test/pair-suite.js';

describePair('Beta||Beta', { rtol: 1e-5, nearRtol: 2e-5 });
describePair('Beta||Normal', { rtol: 1e-5 });
describePair('Beta||Uniform', { rtol: 1e-5 });
describePair('Beta||Exponential', { rtol: 1e-5 });
describePair('Beta||Gamma', { rtol: 1e-5 });
describePair('Beta||ContinuousBernoulli', { rtol: 1e-5 });
