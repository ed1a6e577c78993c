import { describePair } from '../../test/pair-suite.js';

// Nearly equal pairs lose relative accuracy: the closed form cancels O(1) terms in float32 (abs err ~1e-8 at KL 8e-7).
describePair('Weibull||Gamma', { rtol: 1e-5, nearRtol: 2e-2, fixture: 'kl_more.json' });
// Chi2 subclasses Gamma: these reach the Gamma||Gamma rule through the registry's class-hierarchy lookup.
describePair('Chi2||Chi2', { rtol: 1e-5, nearRtol: 1e-4, fixture: 'kl_more.json' });
describePair('Chi2||Gamma', { rtol: 1e-5, nearRtol: 1e-4, fixture: 'kl_more.json' });
