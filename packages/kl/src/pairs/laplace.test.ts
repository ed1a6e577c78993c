import { describePair } from '../../test/pair-suite.js';

describePair('Laplace||Laplace', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Laplace||Normal', { rtol: 1e-5 });
