import { describePair } from '../../test/pair-suite.js';

describePair('PowerSpherical||HypersphericalUniform', { rtol: 2e-5, monteCarloCases: [12, 13] });
describePair('PowerSpherical||VonMisesFisher', { rtol: 2e-5, monteCarloCases: [1, 3] });
