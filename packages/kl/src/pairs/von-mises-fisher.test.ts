import { describePair } from '../../test/pair-suite.js';

describePair('VonMisesFisher||HypersphericalUniform', { rtol: 2e-5, monteCarloCases: [12, 13] });
