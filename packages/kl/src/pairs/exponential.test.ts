import { describePair } from '../../test/pair-suite.js';

describePair('Exponential||Exponential', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Exponential||Gamma', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Exponential||Normal', { rtol: 1e-5 });
