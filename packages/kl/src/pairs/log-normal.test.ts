import { describePair } from '../../test/pair-suite.js';

describePair('LogNormal||LogNormal', { rtol: 1e-5, nearRtol: 2e-6 });
