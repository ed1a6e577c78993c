import { describePair } from '../../test/pair-suite.js';

// Both parameters of a concentration-1000 Gamma moving together: the divergence itself is ill-conditioned (~2a).
describePair('Gamma||Gamma', { rtol: 1e-5, nearRtol: 5e-4 });
describePair('Gamma||Exponential', { rtol: 1e-5, nearRtol: 2e-6 });
describePair('Gamma||Normal', { rtol: 1e-5 });
