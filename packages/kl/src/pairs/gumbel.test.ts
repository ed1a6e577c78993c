import { describePair } from '../../test/pair-suite.js';

const fixture = 'kl_more.json';
describePair('Gumbel||Gumbel', { rtol: 1e-5, nearRtol: 1e-4, fixture });
describePair('Gumbel||Normal', { rtol: 1e-5, fixture });
describePair('Normal||Gumbel', { rtol: 1e-5, fixture });
describePair('Exponential||Gumbel', { rtol: 1e-5, fixture });
describePair('Gamma||Gumbel', { rtol: 1e-5, fixture });
describePair('Uniform||Gumbel', { rtol: 1e-5, fixture });
